import { describe, expect, it } from 'vitest';
import { loadSchemaRegistryConfig } from './schema-registry.config';

describe('loadSchemaRegistryConfig', () => {
  it('uses port 8081 and bus_registry on the DATABASE_URL server by default', () => {
    const config = loadSchemaRegistryConfig({ DATABASE_URL: 'postgres://u@db:5432/postgres' });
    expect(config.port).toBe(8081);
    expect(config.databaseUrl).toBe('postgres://u@db:5432/bus_registry');
    expect(config.maxBodyBytes).toBe(2 * 1024 * 1024);
  });

  it('lets SCHEMA_REGISTRY_DATABASE_URL name another database', () => {
    const config = loadSchemaRegistryConfig({
      PORT: '18081',
      SCHEMA_REGISTRY_DATABASE_URL: 'postgres://u@db:5432/elsewhere',
    });
    expect(config).toMatchObject({ port: 18081, databaseUrl: 'postgres://u@db:5432/elsewhere' });
  });

  it('fails fast with one readable line per bad variable', () => {
    expect(() =>
      loadSchemaRegistryConfig({ PORT: 'eighty', SCHEMA_REGISTRY_DATABASE_URL: 'mysql://x' }),
    ).toThrow(/PORT[\s\S]*SCHEMA_REGISTRY_DATABASE_URL: must be a postgres:\/\/ URL/);
  });
});
