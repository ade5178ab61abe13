import { describe, expect, it } from 'vitest';
import { databaseNameOf, databaseUrlFor } from './database-url';

describe('database URLs', () => {
  it('points the server URL at another database, keeping credentials and options', () => {
    expect(databaseUrlFor('postgres://u:p@db:5432/postgres?sslmode=disable', 'bus_tax')).toBe(
      'postgres://u:p@db:5432/bus_tax?sslmode=disable',
    );
  });
  it('refuses names that would need quoting', () => {
    expect(databaseNameOf('postgres://db/bus_land')).toBe('bus_land');
    expect(() => databaseNameOf('postgres://db/bad-name')).toThrow(/Unsupported database name/);
  });
});
