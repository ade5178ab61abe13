import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../errors/config-error';
import { env, fetchWindowEnv, fetchWindowOf, loadConfig } from './load-config';

const schema = z.object({
  KAFKA_BROKERS: env.kafkaBrokers,
  PORT: env.port(3000),
  SCHEMA_REGISTRY_URL: env.url('http://127.0.0.1:8081'),
});

describe('loadConfig', () => {
  it('applies defaults and parses broker lists', () => {
    expect(loadConfig('test', schema, { KAFKA_BROKERS: 'a:9092, b:9093' })).toEqual({
      KAFKA_BROKERS: ['a:9092', 'b:9093'],
      PORT: 3000,
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
    });
  });

  it('names every bad variable in one readable error', () => {
    let caught: unknown;
    try {
      loadConfig('test', schema, {
        KAFKA_BROKERS: 'nohost',
        PORT: '99999',
        SCHEMA_REGISTRY_URL: 'x',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain('Invalid test configuration');
    expect(message).toMatch(
      /KAFKA_BROKERS: must be a comma-separated list of host:port \(got "nohost"\)/,
    );
    expect(message).toMatch(/PORT: .*\(got "99999"\)/);
    expect(message).toMatch(/SCHEMA_REGISTRY_URL: /);
  });

  it("reads a stage's fetch window, and refuses a wait under 10 ms", () => {
    const windowSchema = z.object(fetchWindowEnv);
    expect(fetchWindowOf(loadConfig('test', windowSchema, {}))).toEqual({
      minBytes: 65_536,
      maxWaitMs: 50,
    });
    const set = { KAFKA_FETCH_MIN_BYTES: '1', KAFKA_FETCH_MAX_WAIT_MS: '1000' };
    expect(fetchWindowOf(loadConfig('test', windowSchema, set))).toEqual({
      minBytes: 1,
      maxWaitMs: 1_000,
    });
    expect(() => loadConfig('test', windowSchema, { KAFKA_FETCH_MAX_WAIT_MS: '0' })).toThrow(
      /KAFKA_FETCH_MAX_WAIT_MS/,
    );
  });
});
