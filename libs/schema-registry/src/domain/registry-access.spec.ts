import { describe, expect, it } from 'vitest';
import { requiredRole, roleAllows } from './registry-access';

describe('requiredRole', () => {
  it.each([
    ['GET', '/health', undefined],
    ['GET', '/subjects', 'reader'],
    ['POST', '/subjects/s-value', 'reader'],
    ['POST', '/subjects/s-value/versions', 'writer'],
    ['POST', '/compatibility/subjects/s-value/versions/latest', 'writer'],
    ['PUT', '/config/s-value', 'admin'],
    ['PUT', '/config', 'admin'],
    ['PUT', '/mode', 'admin'],
    ['DELETE', '/subjects/s-value', 'admin'],
    ['DELETE', '/subjects/s-value/versions/1', 'admin'],
  ])('%s %s needs %s', (method, path, role) => {
    expect(requiredRole(method, path)?.role).toBe(role);
  });

  it('ranks the roles', () => {
    expect(roleAllows('admin', 'writer')).toBe(true);
    expect(roleAllows('writer', 'reader')).toBe(true);
    expect(roleAllows('reader', 'writer')).toBe(false);
    expect(roleAllows('writer', 'admin')).toBe(false);
  });
});
