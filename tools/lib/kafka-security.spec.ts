import { describe, expect, it } from 'vitest';
import { kafkaPrincipals as aclPrincipals, wantedKafkaAcls } from '@bus/contracts';
import { kafkaPrincipals } from './kafka-security.ts';
import { NODE_APPS } from './node-apps.ts';

describe('the stack’s Kafka principals', () => {
  it('are the ones the ACLs are derived for (both from the sectors of the sharing policy)', () => {
    expect(kafkaPrincipals()).toEqual(aclPrincipals());
  });

  it('include every principal an app connects as, and each has ACLs', () => {
    const withAcls = new Set(wantedKafkaAcls().map((acl) => acl.principal));
    for (const app of NODE_APPS.filter((a) => a.kafkaPrincipal))
      expect(withAcls.has(app.kafkaPrincipal as string)).toBe(true);
  });
});
