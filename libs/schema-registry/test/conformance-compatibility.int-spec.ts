import { beforeAll, describe, expect, it } from 'vitest';
import { testStack, uniqueName } from '@bus/testing';
import { COMPATIBILITY_LEVELS } from '../src/domain/compatibility-level';
import {
  expectedAccepted,
  TEXTBOOK_CASES,
  TRANSITIVE_CASES,
} from '../src/domain/textbook-cases.fixture';
import { RegistryHttp } from './registry-http';

/*
 * The textbook evolution cases at every level, through the registry's own API:
 * the compatibility endpoint answers as expected and registration is accepted
 * (200) or refused (409 / 40901) accordingly.
 */
let registry: RegistryHttp;
beforeAll(() => {
  registry = new RegistryHttp(testStack().schemaRegistryUrl);
});

describe.each(TEXTBOOK_CASES)('$name', (c) => {
  it.each(COMPATIBILITY_LEVELS)('at %s', async (level) => {
    const accepted = expectedAccepted(level, c);
    const s = `${uniqueName('sr_compat')}-value`;
    expect((await registry.setLevel(s, level)).status).toBe(200);
    expect((await registry.register(s, c.old)).status).toBe(200);

    const check = await registry.check(s, c.new, 'latest');
    expect(check.status).toBe(200);
    expect(check.body.is_compatible).toBe(accepted);
    if (!accepted) expect(check.body.messages?.length).toBeGreaterThan(0);

    const registered = await registry.register(s, c.new);
    if (accepted) {
      expect(registered.status).toBe(200);
      expect((await registry.versions(s)).body).toEqual([1, 2]);
    } else {
      expect({ status: registered.status, code: registered.body.error_code }).toEqual({
        status: 409,
        code: 40901,
      });
      expect((await registry.versions(s)).body).toEqual([1]);
    }
  });
});

describe('transitive levels check every live version, the others only the latest', () => {
  it.each(TRANSITIVE_CASES.map((t) => [t.levels[0], t.levels[1], t] as const))(
    '%s accepts v3, %s rejects it',
    async (plain, transitive, { versions }) => {
      const [v1, v2, v3] = versions;
      for (const level of [plain, transitive]) {
        const s = `${uniqueName('sr_trans')}-value`;
        await registry.setLevel(s, level);
        expect((await registry.register(s, v1)).status).toBe(200);
        expect((await registry.register(s, v2)).status).toBe(200);
        const againstLatest = await registry.check(s, v3, 'latest');
        expect(againstLatest.body.is_compatible).toBe(true);
        const againstLevel = await registry.check(s, v3);
        expect(againstLevel.body.is_compatible).toBe(level === plain);
        const againstFirst = await registry.check(s, v3, '1');
        expect(againstFirst.body.is_compatible).toBe(false);
        const registered = await registry.register(s, v3);
        expect(registered.status).toBe(level === plain ? 200 : 409);
      }
    },
  );

  it('ignores soft-deleted versions', async () => {
    const [v1, v2, v3] = TRANSITIVE_CASES[0]!.versions;
    const s = `${uniqueName('sr_trans')}-value`;
    await registry.setLevel(s, 'BACKWARD_TRANSITIVE');
    await registry.register(s, v1);
    await registry.register(s, v2);
    expect((await registry.register(s, v3)).status).toBe(409);
    expect((await registry.request('DELETE', `/subjects/${s}/versions/1`)).status).toBe(200);
    expect((await registry.register(s, v3)).status).toBe(200);
    expect((await registry.versions(s)).body).toEqual([2, 3]);
  });
});
