import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error';
import {
  isKafkaAuthenticationFailure,
  KafkaAuthenticationError,
  kafkaSecurityFromEnv,
} from './kafka-security';

const dir = mkdtempSync(join(tmpdir(), 'kafka-security-'));
const ca = join(dir, 'ca.pem');
const passwordFile = join(dir, 'password');
writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
writeFileSync(passwordFile, 's3cret-from-file\n');

describe('kafkaSecurityFromEnv', () => {
  it('is a plaintext client when nothing is set', () => {
    expect(kafkaSecurityFromEnv({})).toEqual({});
  });

  it('reads SCRAM-SHA-512 over TLS with the CA file and the password file', () => {
    const security = kafkaSecurityFromEnv({
      KAFKA_SASL_USERNAME: 'sync-bhyt',
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
      KAFKA_SSL_CA_FILE: ca,
    });
    expect(security.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'sync-bhyt',
      password: 's3cret-from-file',
    });
    expect(security.ssl).toEqual({ ca: [expect.stringContaining('BEGIN CERTIFICATE')] });
  });

  it('uses TLS with the system CAs when no CA file is given', () => {
    const security = kafkaSecurityFromEnv({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' });
    expect(security.ssl).toBe(true);
  });

  it.each([
    [{ KAFKA_SASL_USERNAME: 'u' }, 'KAFKA_SASL_USERNAME is set without KAFKA_SASL_PASSWORD'],
    [{ KAFKA_SASL_PASSWORD: 'never-printed' }, 'without KAFKA_SASL_USERNAME'],
    [
      {
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
        KAFKA_SASL_PASSWORD_FILE: passwordFile,
      },
      'both set',
    ],
    [
      { KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: join(dir, 'missing') },
      'KAFKA_SASL_PASSWORD_FILE names a file that cannot be read (ENOENT)',
    ],
    [{ KAFKA_SSL_CA_FILE: join(dir, 'missing') }, 'KAFKA_SSL_CA_FILE names a file'],
  ])('fails at boot with the variable named: %o', (env, message) => {
    let thrown: unknown;
    try {
      kafkaSecurityFromEnv(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toContain(message);
    expect((thrown as Error).message).not.toContain('never-printed');
  });
});

describe('isKafkaAuthenticationFailure', () => {
  it("recognises kafkajs's SASL refusal, also wrapped, and nothing else", () => {
    const refusal = Object.assign(new Error('SASL SCRAM SHA512 authentication failed'), {
      name: 'KafkaJSSASLAuthenticationError',
    });
    const wrapped = Object.assign(new Error('retries exceeded'), { originalError: refusal });
    expect(isKafkaAuthenticationFailure(refusal)).toBe(true);
    expect(isKafkaAuthenticationFailure(wrapped)).toBe(true);
    expect(isKafkaAuthenticationFailure(new ConfigError('x'))).toBe(false);
    const error = new KafkaAuthenticationError('relay', refusal);
    expect(error.retriable).toBe(false);
    expect(error.message).toContain('KAFKA_SASL_USERNAME=relay');
    expect(error.message).toContain('KAFKA_SASL_PASSWORD');
  });
});
