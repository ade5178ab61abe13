import type { Admin } from 'kafkajs';
import type { ClusterSnapshot, GroupOffsets, PartitionOffsets } from '../domain/cluster-snapshot';
import type { GroupSelection, OffsetSource } from '../application/ports';

type TopicOffsets = Map<number, { start: number; end: number }>;

/** Committed and end offsets through the Kafka admin API, one snapshot per poll. */
export class KafkaOffsetSource implements OffsetSource {
  constructor(private readonly admin: Admin) {}

  async snapshot(selection: GroupSelection): Promise<ClusterSnapshot> {
    const [{ groups: listed }, existing] = await Promise.all([
      this.admin.listGroups(),
      this.admin.listTopics(),
    ]);
    const topics = new Set(existing);
    const known = new Set(listed.map((g) => g.groupId));
    const watched = [
      ...new Set([
        ...listed
          .map((g) => g.groupId)
          .filter((id) => selection.prefixes.some((prefix) => id.startsWith(prefix))),
        ...selection.expected,
      ]),
    ].sort();
    const present = watched.filter((g) => known.has(g));
    const described =
      present.length > 0 ? await this.admin.describeGroups(present) : { groups: [] };
    const descriptions = new Map(described.groups.map((g) => [g.groupId, g]));
    const ends = new Map<string, Promise<TopicOffsets>>();
    const endsOf = (topic: string) => {
      let pending = ends.get(topic);
      if (!pending) {
        pending = this.topicOffsets(topic);
        ends.set(topic, pending);
      }
      return pending;
    };

    const groups = await Promise.all(
      watched.map(async (group): Promise<GroupOffsets> => {
        if (!known.has(group)) {
          return {
            group,
            state: 'Unknown',
            members: 0,
            partitions: [],
            error: `group ${group} is not known to the broker (never started?)`,
          };
        }
        const description = descriptions.get(group);
        try {
          const committed = await this.admin.fetchOffsets({ groupId: group });
          const partitions: PartitionOffsets[] = [];
          for (const { topic, partitions: parts } of committed) {
            // Offsets outlive deleted topics; the admin client would retry them for a long time.
            if (!topics.has(topic)) continue;
            const offsets = await endsOf(topic);
            for (const { partition, offset } of parts) {
              const position = Number(offset);
              const log = offsets.get(partition);
              if (!log || position < 0) continue;
              partitions.push({ topic, partition, committed: position, ...log });
            }
          }
          return {
            group,
            state: description?.state ?? 'Unknown',
            members: description?.members.length ?? 0,
            partitions,
          };
        } catch (error) {
          return {
            group,
            state: description?.state ?? 'Unknown',
            members: description?.members.length ?? 0,
            partitions: [],
            error: `could not read offsets: ${(error as Error).message}`,
          };
        }
      }),
    );
    // The time of the end offsets, not of the request: the interpolation table keys on it.
    return { at: Date.now(), groups };
  }

  async countMessages(topics: readonly string[]): Promise<Map<string, number>> {
    const existing = new Set(await this.admin.listTopics());
    const counts = new Map<string, number>();
    await Promise.all(
      topics
        .filter((t) => existing.has(t))
        .map(async (topic) => {
          const offsets = await this.topicOffsets(topic);
          let total = 0;
          for (const { start, end } of offsets.values()) total += end - start;
          counts.set(topic, total);
        }),
    );
    return counts;
  }

  private async topicOffsets(topic: string): Promise<TopicOffsets> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return new Map(
      offsets.map((o) => [o.partition, { start: Number(o.low), end: Number(o.high) }]),
    );
  }
}
