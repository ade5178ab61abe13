import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keySubject, MASTER_TOPIC, SECTORS, shareTopic, valueSubject } from '../topics';
import { kafkaPrincipals, wantedKafkaAcls } from './kafka-acls';

const ROOT = resolve(__dirname, '../../../../..');

/** What a tools/ module (plain Node, which cannot resolve @bus/*) computes, as JSON. */
function fromTools(module: string, expression: string): unknown {
  const result = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(resolve(ROOT, module))}); console.log(JSON.stringify(${expression}));`,
    ],
    { encoding: 'utf8' },
  );
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as unknown;
}

describe('the local stack and the contracts name the same things', () => {
  it('the stack creates a SCRAM principal for every principal the ACLs are derived for', () => {
    expect(fromTools('tools/lib/kafka-security.ts', 'm.kafkaPrincipals()')).toEqual(
      kafkaPrincipals(),
    );
  });

  it('every app the stack starts connects as a principal that has ACLs', () => {
    const apps = fromTools(
      'tools/lib/node-apps.ts',
      'm.NODE_APPS.map((a) => a.kafkaPrincipal).filter(Boolean)',
    ) as string[];
    const withAcls = new Set(wantedKafkaAcls().map((acl) => acl.principal));
    expect(apps.filter((p) => !withAcls.has(p))).toEqual([]);
  });

  it('the stack pins the shared topics’ value and key subjects', () => {
    expect(fromTools('tools/lib/registry-users.ts', 'm.busSubjects()')).toEqual(
      [MASTER_TOPIC, ...SECTORS.map(shareTopic)].flatMap((t) => [valueSubject(t), keySubject(t)]),
    );
  });
});
