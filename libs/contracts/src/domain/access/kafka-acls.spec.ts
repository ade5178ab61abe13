import { describe, expect, it } from 'vitest';
import { MASTER_TOPIC, shareTopic, syncGroup } from '../topics';
import { diffAcls, wantedKafkaAcls, type KafkaAcl } from './kafka-acls';

const acls = wantedKafkaAcls();
const grants = (principal: string) => acls.filter((acl) => acl.principal === principal);
const onTopic = (principal: string, topic: string) =>
  grants(principal)
    .filter((acl) => acl.resourceType === 'TOPIC' && acl.resourceName === topic)
    .map((acl) => acl.operation);

describe('wantedKafkaAcls', () => {
  it('lets a sector read only its own share topic and group', () => {
    const reads = grants('sync-bhyt').filter((acl) => acl.operation === 'READ');
    expect(reads.map((acl) => `${acl.resourceType}:${acl.resourceName}`)).toEqual([
      `TOPIC:${shareTopic('bhyt')}`,
      `GROUP:${syncGroup('bhyt')}`,
    ]);
    expect(onTopic('sync-bhyt', MASTER_TOPIC)).toEqual([]);
    expect(grants('sync-bhyt').some((acl) => acl.resourceName === '*')).toBe(false);
  });

  it('lets only the relay and the ops console (replays) write the master topic', () => {
    const writers = acls
      .filter((acl) => acl.resourceName === MASTER_TOPIC && acl.operation === 'WRITE')
      .map((acl) => acl.principal);
    expect(writers.sort()).toEqual(['ops-console', 'relay']);
    expect(onTopic('share-router', MASTER_TOPIC)).toEqual(['READ']);
  });

  it('adds a principal and its ACLs with a sector', () => {
    const principals = new Set(wantedKafkaAcls(['bhyt']).map((acl) => acl.principal));
    expect(principals.has('sync-bhyt')).toBe(true);
    expect(principals.has('sync-tax')).toBe(false);
  });

  it('diffs both ways', () => {
    const [first, second] = acls as [KafkaAcl, KafkaAcl];
    const stray: KafkaAcl = { ...first, principal: 'intruder' };
    expect(diffAcls([first, second], [second, stray])).toEqual({
      missing: [first],
      extra: [stray],
    });
  });
});
