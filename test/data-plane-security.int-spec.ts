import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { logLevel, type Kafka, type KafkaConfig } from 'kafkajs';
import {
  FOLLOWS_TOPIC,
  kafkaAclDiff,
  addKafkaAcls,
  MASTER_TOPIC,
  shareTopic,
  syncGroup,
  wantedKafkaAcls,
} from '@bus/contracts';
import { createKafka, ensureTopics, ErrorCode } from '@bus/platform';
import { connectedAdmin, kafkaAs, onCleanup, testKafka, testStack, waitFor } from '@bus/testing';
import { freePort, spawnApp } from '../libs/sectors/test/child-app';

const ROOT = resolve(__dirname, '..');
// One attempt: a refusal is the answer, not something to wait out.
const once: Partial<KafkaConfig> = { retry: { retries: 0 } };

async function connected<C extends { connect(): Promise<void>; disconnect(): Promise<void> }>(
  client: C,
): Promise<C> {
  await client.connect();
  onCleanup(() => client.disconnect());
  return client;
}

async function refusal(action: () => Promise<unknown>): Promise<{ name?: string; type?: string }> {
  const outcome = await action().then(
    () => ({ name: 'none', type: 'the action succeeded' }),
    (error: { name?: string; type?: string }) => error,
  );
  return { name: outcome.name, type: outcome.type };
}

describe('identities on the data plane: Kafka over SASL_SSL with ACLs per service', () => {
  it('refuses a plaintext client and a wrong password; an app with a wrong password exits naming the variable', async () => {
    const plaintext = createKafka({
      brokers: testStack().kafkaBrokers,
      clientId: 'plaintext',
      security: {},
      overrides: { ...once, connectionTimeout: 3_000 },
    }).admin();
    onCleanup(() => plaintext.disconnect());
    await expect(plaintext.connect()).rejects.toThrow(/Closed connection|Connection timeout/);

    const wrong = kafkaAs('sync-bhyt', { password: 'not-the-password', overrides: once }).admin();
    onCleanup(() => wrong.disconnect());
    await expect(wrong.connect()).rejects.toMatchObject({
      code: ErrorCode.KAFKA_AUTHENTICATION_FAILED,
      retriable: false,
      message: expect.stringContaining('KAFKA_SASL_PASSWORD'),
    });

    const app = spawnApp('share-router', {
      PORT: String(await freePort()),
      KAFKA_SASL_USERNAME: 'share-router',
      KAFKA_SASL_PASSWORD: 'not-the-password',
      KAFKA_SASL_PASSWORD_FILE: '',
    });
    await waitFor(app.closed, { description: 'the share router to exit', timeoutMs: 60_000 });
    expect(app.process.exitCode).toBe(1);
    expect(app.output()).toContain(
      'KAFKA_AUTHENTICATION_FAILED: Kafka refused the SASL credentials of KAFKA_SASL_USERNAME=share-router: check KAFKA_SASL_PASSWORD',
    );
  });

  it('keeps the health-insurance sync to its own share topic and group, and the router off the master topic', async () => {
    const admin = await connectedAdmin();
    // The real names, under the ACLs stack:up applied. A share topic made here is removed after:
    // left with one partition, it would fail the router's boot on `npm start` (partition count).
    if (!(await admin.listTopics()).includes(shareTopic('bhyt'))) {
      await ensureTopics(admin, [{ topic: shareTopic('bhyt'), numPartitions: 1 }]);
      onCleanup(async () => {
        const cleaner = await connectedAdmin();
        await cleaner.deleteTopics({ topics: [shareTopic('bhyt')] });
      });
    }
    const bhyt = kafkaAs('sync-bhyt', { overrides: once });

    const reader = await connected(bhyt.consumer({ groupId: syncGroup('bhyt') }));
    for (const topic of [MASTER_TOPIC, shareTopic('tax')])
      expect(await refusal(() => reader.subscribe({ topic }))).toEqual({
        name: 'KafkaJSProtocolError',
        type: 'TOPIC_AUTHORIZATION_FAILED',
      });

    // kafkajs reports a refused coordinator lookup as "not found"; the broker's answer is in
    // its debug log, which this client keeps.
    const answers: string[] = [];
    const spy = kafkaAs('sync-bhyt', {
      overrides: {
        ...once,
        logLevel: logLevel.DEBUG,
        logCreator:
          () =>
          ({ log }) => {
            const type = (log.error as { type?: string } | undefined)?.type;
            if (type) answers.push(type);
          },
      },
    });
    const intruder = await connected(spy.consumer({ groupId: syncGroup('tax') }));
    await intruder.subscribe({ topic: shareTopic('bhyt') });
    await intruder.run({ eachMessage: async () => undefined });
    await waitFor(() => answers.includes('GROUP_AUTHORIZATION_FAILED'), {
      description: 'the broker to refuse bus.sync-tax to the health-insurance principal',
    });

    for (const principal of ['sync-bhyt', 'share-router']) {
      const producer = await connected(kafkaAs(principal, { overrides: once }).producer());
      const sent = await producer
        .send({ topic: MASTER_TOPIC, acks: -1, messages: [{ key: 'k', value: 'forged' }] })
        .then(
          () => 'sent',
          (error: Error) => error.message,
        );
      expect({ principal, sent }).toEqual({
        principal,
        sent: 'Not authorized to access topics: [Topic authorization failed]',
      });
    }
  });

  it('kafka:acls --check passes on the stack and fails after an ACL is removed by hand', async () => {
    const admin = await connectedAdmin();
    const wanted = wantedKafkaAcls();
    // Tests running beside this one grant the same ACLs on their private `t_…` names.
    const diff = async () => {
      const { missing, extra } = await kafkaAclDiff(admin, wanted);
      return { missing, extra: extra.filter((acl) => !acl.resourceName.startsWith('t_')) };
    };
    expect(await diff()).toEqual({ missing: [], extra: [] });
    // Put back whatever happens below (only the missing: other tests' ACLs stay).
    onCleanup(async () => {
      const restorer = await connectedAdmin();
      await addKafkaAcls(restorer, (await kafkaAclDiff(restorer, wanted)).missing);
    });

    // The sectors' write on the follow-lists: nothing else in the suite needs it meanwhile.
    const removed = wanted.find(
      (acl) =>
        acl.principal === 'sync-tthc' &&
        acl.resourceName === FOLLOWS_TOPIC &&
        acl.operation === 'WRITE',
    );
    expect(removed).toBeDefined();
    await removeAcl(testKafka(), removed as NonNullable<typeof removed>);

    const check = spawnSync(
      resolve(ROOT, 'node_modules/.bin/tsx'),
      [resolve(ROOT, 'libs/contracts/src/cli/kafka-acls.cli.ts'), '--check'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, KAFKA_BROKERS: testStack().kafkaBrokers.join(',') },
      },
    );
    expect(check.status).toBe(1);
    expect(check.stdout.split('\n').filter((line) => line.startsWith('+'))).toEqual([
      `+ User:sync-tthc WRITE TOPIC:LITERAL:${FOLLOWS_TOPIC}`,
    ]);
    expect(check.stdout).toContain('kafka:acls: 1 missing (+)');
    await addKafkaAcls(admin, [removed as NonNullable<typeof removed>]);
    expect(await diff()).toEqual({ missing: [], extra: [] });
  });
});

async function removeAcl(
  kafka: Kafka,
  acl: { principal: string; resourceName: string },
): Promise<void> {
  const { AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } =
    await import('kafkajs');
  const admin = await connected(kafka.admin());
  await admin.deleteAcls({
    filters: [
      {
        principal: `User:${acl.principal}`,
        host: '*',
        resourceType: AclResourceTypes.TOPIC,
        resourceName: acl.resourceName,
        resourcePatternType: ResourcePatternTypes.LITERAL,
        operation: AclOperationTypes.WRITE,
        permissionType: AclPermissionTypes.ALLOW,
      },
    ],
  });
}

describe('identities on the data plane: a PostgreSQL role per service', () => {
  it("keeps a sector's role out of bus_population and the other sectors' databases", async () => {
    const dir = testStack().postgresRolesDir;
    if (!dir) throw new Error('this test needs the roles of npm run stack:up');
    // Roles are named after their databases, with the stack's suffix (STACK_DATABASE_SUFFIX).
    const bhyt = readdirSync(dir).find((role) => /^bus_bhyt/.test(role)) as string;
    const suffix = bhyt.slice('bus_bhyt'.length);
    const as = async (database: string) => {
      const url = new URL(testStack().databaseUrl);
      url.username = bhyt;
      url.password = readFileSync(join(dir, bhyt), 'utf8').trim();
      url.pathname = `/${database}${suffix}`;
      const client = new pg.Client({ connectionString: url.toString() });
      try {
        await client.connect();
        return (await client.query<{ user: string }>('SELECT current_user AS user')).rows[0]?.user;
      } catch (error) {
        return `${(error as { code?: string }).code}: ${(error as Error).message}`;
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    expect(await as('bus_bhyt')).toBe(bhyt);
    for (const other of ['bus_population', 'bus_tax', 'bus_ledger'])
      expect(await as(other)).toBe(`42501: permission denied for database "${other}${suffix}"`);
  });
});
