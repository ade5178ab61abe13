import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENTS, completeSecrets, USERS } from './keycloak.ts';
import { ROOT } from './paths.ts';

interface Realm {
  roles: { client: Record<string, { name: string }[]> };
  clients: { clientId: string; bearerOnly?: boolean; serviceAccountsEnabled?: boolean }[];
  users: { username: string; clientRoles?: Record<string, string[]> }[];
}

const text = readFileSync(join(ROOT, 'stack/keycloak/realm-citizen-bus.json'), 'utf8');
const realm = JSON.parse(text) as Realm;
const user = (name: string) => realm.users.find((u) => u.username === name);
const client = (id: string) => realm.clients.find((c) => c.clientId === id);
const envName = (name: string) => name.toUpperCase().replaceAll('-', '_');

describe('the realm file', () => {
  it('has a generated secret for every client and user placeholder', () => {
    const secrets = [...text.matchAll(/\$\{KC_SECRET_([A-Z_]+)\}/g)].map((m) => m[1]);
    const passwords = [...text.matchAll(/\$\{KC_PASSWORD_([A-Z_]+)\}/g)].map((m) => m[1]);
    expect(secrets.sort()).toEqual(CLIENTS.map(envName).sort());
    expect(passwords.sort()).toEqual(USERS.map(envName).sort());
  });

  it("gives the ledger's disclosures API its audience: citizen for the citizen, dpo for the DPO", () => {
    expect(client('ledger')).toMatchObject({ bearerOnly: true });
    expect(realm.roles.client.ledger?.map((r) => r.name).sort()).toEqual(['citizen', 'dpo']);
    expect(user('citizen-demo')?.clientRoles?.ledger).toEqual(['citizen']);
    expect(user('ops-dpo')?.clientRoles?.ledger).toEqual(['dpo']);
    // Every other role on the ledger's audience is refused: nobody else holds one.
    const holders = realm.users.filter((u) => u.clientRoles?.ledger).map((u) => u.username);
    expect(holders.sort()).toEqual(['citizen-demo', 'ops-dpo']);
  });

  it('lets the share router read current states for fills, and nothing else', () => {
    expect(client('share-router')).toMatchObject({ serviceAccountsEnabled: true });
    expect(user('service-account-share-router')?.clientRoles).toEqual({
      'national-population': ['state-reader'],
    });
    expect(realm.roles.client['national-population']?.map((r) => r.name)).toContain('state-reader');
  });
});

describe('completeSecrets', () => {
  it('keeps the secrets generated before and adds those of clients added since', () => {
    let n = 0;
    const generate = () => `s${++n}`;
    const before = completeSecrets(undefined, generate);
    const { 'share-router': _added, ...older } = before.clients;
    const after = completeSecrets({ ...before, clients: older }, generate);
    expect(after.clients).toEqual({ ...older, 'share-router': `s${n}` });
    expect(after.users).toEqual(before.users);
    expect(after.admin).toEqual(before.admin);
  });
});
