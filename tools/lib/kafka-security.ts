import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaConfig } from 'kafkajs';
import { STATE_DIR } from './paths.ts';
import { policySectors, writePrivate } from './stack-secrets.ts';
import { StackError } from './stack-error.ts';
import { KAFKA_PLAINTEXT } from './stack-settings.ts';

/**
 * The broker's identities: a local CA and the broker's certificate (openssl), and one SCRAM
 * principal per service with a password generated at the first stack:up. Everything lives
 * under .stack/kafka (gitignored), private keys and passwords with mode 0600, never printed.
 */
export const KAFKA_SECURITY_DIR = join(STATE_DIR, 'kafka', 'security');
export const KAFKA_CA_FILE = join(KAFKA_SECURITY_DIR, 'ca.pem');
/** Key and certificate in one PEM file: Kafka's PEM keystore format. */
export const BROKER_KEYSTORE = join(KAFKA_SECURITY_DIR, 'broker-keystore.pem');
/** The broker's own principal on the controller listener (mutual TLS): a super user. */
export const BROKER_DN = 'CN=kafka-broker';
export const ADMIN_PRINCIPAL = 'admin';

/**
 * One principal per service, derived from the sectors of the sharing policy (schemas/ is the
 * single source of truth) so that a new sector gets its own principal. libs/contracts derives
 * the ACLs from the same names (kafka-acls), and a spec checks the two lists agree.
 */
export function kafkaPrincipals(): string[] {
  const sectors = policySectors().map((sector) => `sync-${sector}`);
  return [ADMIN_PRINCIPAL, 'relay', 'share-router', ...sectors, 'ledger', 'ops-console', 'bench'];
}

export const passwordFile = (principal: string): string =>
  join(KAFKA_SECURITY_DIR, 'users', principal);

/** Each principal's password, generated once. */
export function kafkaPasswords(): Record<string, string> {
  mkdirSync(join(KAFKA_SECURITY_DIR, 'users'), { recursive: true, mode: 0o700 });
  return Object.fromEntries(
    kafkaPrincipals().map((principal) => {
      const file = passwordFile(principal);
      if (!existsSync(file)) writePrivate(file, randomBytes(24).toString('base64url'));
      return [principal, readFileSync(file, 'utf8').trim()];
    }),
  );
}

function openssl(args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: KAFKA_SECURITY_DIR, encoding: 'utf8' });
  if (result.error) throw new StackError('openssl was not found on PATH (apt-get install openssl)');
  if (result.status !== 0)
    throw new StackError(`openssl ${args[0]} failed: ${result.stderr.trim()}`);
}

/**
 * A local CA (valid 825 days, the longest a TLS client accepts for a leaf) and the broker's
 * certificate for 127.0.0.1 and localhost, usable as server (clients) and client (the broker
 * to its own controller listener). Made once; delete .stack/kafka/security/*.pem to renew.
 */
export function ensureCertificates(): void {
  if (existsSync(KAFKA_CA_FILE) && existsSync(BROKER_KEYSTORE)) return;
  mkdirSync(KAFKA_SECURITY_DIR, { recursive: true, mode: 0o700 });
  openssl([
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '825',
    '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=citizen-bus local CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]); // prettier-ignore
  openssl([
    'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'broker.key', '-out', 'broker.csr',
    '-subj', `/${BROKER_DN}`,
  ]); // prettier-ignore
  writeFileSync(
    join(KAFKA_SECURITY_DIR, 'broker.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  openssl([
    'x509', '-req', '-in', 'broker.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
    '-CAcreateserial', '-days', '825', '-out', 'broker.pem', '-extfile', 'broker.ext',
  ]); // prettier-ignore
  for (const key of ['ca.key', 'broker.key']) chmodSync(join(KAFKA_SECURITY_DIR, key), 0o600);
  const key = readFileSync(join(KAFKA_SECURITY_DIR, 'broker.key'), 'utf8');
  const cert = readFileSync(join(KAFKA_SECURITY_DIR, 'broker.pem'), 'utf8');
  writePrivate(BROKER_KEYSTORE, `${key}${cert}`);
}

/** What a client of the local stack sets to connect as `principal` (see docs/data-plane-security.md). */
export function kafkaClientEnv(principal: string): Record<string, string> {
  if (KAFKA_PLAINTEXT) return {};
  return {
    KAFKA_SASL_USERNAME: principal,
    KAFKA_SASL_PASSWORD_FILE: passwordFile(principal),
    KAFKA_SSL_CA_FILE: KAFKA_CA_FILE,
  };
}

/** The same identity as kafkajs settings (the stack's probes, ACLs, the bench's anchor admin). */
export function kafkajsSecurity(principal: string): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  if (KAFKA_PLAINTEXT) return {};
  return {
    ssl: { ca: [readFileSync(KAFKA_CA_FILE, 'utf8')] },
    sasl: {
      mechanism: 'scram-sha-512',
      username: principal,
      password: kafkaPasswords()[principal] ?? '',
    },
  };
}

/** The same identity for Kafka's Java tools (the bench's perf anchors), as client properties. */
export function kafkaJavaClientProperties(principal: string): string[] {
  if (KAFKA_PLAINTEXT) return [];
  const password = kafkaPasswords()[principal] ?? '';
  return [
    'security.protocol=SASL_SSL',
    'sasl.mechanism=SCRAM-SHA-512',
    `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${principal}" password="${password}";`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${KAFKA_CA_FILE}`,
  ];
}
