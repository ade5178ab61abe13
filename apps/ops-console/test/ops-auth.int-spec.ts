import { describe, expect, it } from 'vitest';
import {
  bearer,
  clientToken,
  connectedProducer,
  createTopicNamed,
  expiredUserToken,
  uniqueName,
  userToken,
  type TestUser,
} from '@bus/testing';
import { startConsole } from './ops-console.harness';

interface Row {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly allowed: TestUser;
  readonly refused: TestUser;
}

/**
 * Every API route of the console: no token 401, expired 401, another API's token 401,
 * a role without the right 403, the right role 2xx.
 */
describe('ops console API rights', () => {
  it('answers 401 / 403 / 2xx per route and role', async () => {
    const group = uniqueName('sync-auth');
    const { url } = await startConsole({ bhyt: group });
    const dlt = await createTopicNamed(`${group}.dlt`);
    const producer = await connectedProducer();
    await producer.send({
      topic: dlt,
      acks: -1,
      messages: [
        { key: 'k', value: 'v', headers: { 'dlt.reason': 'TEST', 'dlt.original.topic': dlt } },
      ],
    });
    const rows: Row[] = [
      { method: 'GET', path: '/api/groups', allowed: 'ops-viewer', refused: 'citizen-demo' },
      {
        method: 'GET',
        path: `/api/groups/${group}`,
        allowed: 'ops-viewer',
        refused: 'citizen-demo',
      },
      {
        method: 'GET',
        path: '/api/dead-letters/bhyt',
        allowed: 'ops-viewer',
        refused: 'citizen-demo',
      },
      {
        method: 'GET',
        path: '/api/dead-letters/bhyt?reveal=1',
        allowed: 'ops-dpo',
        refused: 'ops-operator',
      },
      {
        method: 'GET',
        path: '/api/dead-letters/bhyt/replays',
        allowed: 'ops-viewer',
        refused: 'citizen-demo',
      },
      {
        method: 'POST',
        path: '/api/dead-letters/bhyt/replay',
        body: { partition: 0, offset: 0 },
        allowed: 'ops-operator',
        refused: 'ops-viewer',
      },
      {
        method: 'POST',
        path: '/api/dead-letters/bhyt/replay-all',
        body: {},
        allowed: 'ops-operator',
        refused: 'ops-dpo',
      },
      {
        method: 'GET',
        path: '/audit?actor=ops-operator',
        allowed: 'ops-dpo',
        refused: 'ops-operator',
      },
    ];
    const call = async (row: Row, headers: Record<string, string>) =>
      (
        await fetch(`${url}${row.path}`, {
          method: row.method,
          headers: { 'content-type': 'application/json', ...headers },
          ...(row.body === undefined ? {} : { body: JSON.stringify(row.body) }),
        })
      ).status;
    for (const row of rows) {
      const statuses = {
        route: `${row.method} ${row.path}`,
        none: await call(row, {}),
        expired: await call(row, bearer(await expiredUserToken(row.allowed))),
        otherApi: await call(row, bearer(await clientToken('tax-system'))),
        wrongRole: await call(row, bearer(await userToken(row.refused))),
        rightRole: await call(row, bearer(await userToken(row.allowed))),
      };
      expect(statuses).toEqual({
        route: `${row.method} ${row.path}`,
        none: 401,
        expired: 401,
        otherApi: 401,
        // A citizen's token is for the population API: refused as the wrong audience.
        wrongRole: row.refused === 'citizen-demo' ? 401 : 403,
        rightRole: 200,
      });
    }
  });
});
