import type { Admin, ITopicConfig } from 'kafkajs';
import { TransientError } from '../errors/bus-error';
import { ErrorCode } from '../errors/error-codes';
import type { Logger } from '../logging/logger';
import { backoffDelay, sleep } from '../resilience/backoff';

export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor?: number;
  readonly configEntries?: readonly { readonly name: string; readonly value: string }[];
}

export interface EnsureTopicsOptions {
  readonly logger?: Logger;
  /** How long to wait for every partition to have a leader. */
  readonly timeoutMs?: number;
}

/**
 * Creates the missing topics and waits until every partition of every one has a leader.
 * kafkajs's own `waitForLeaders` gives up when KRaft briefly answers "unknown topic" right
 * after a creation (seen under load), so leaders are awaited here from the metadata.
 * Another instance creating the same topic at the same moment is not an error.
 * Returns the partition count of each topic as the broker has it (an existing topic keeps
 * its own count: changing it would move keys and break per-key order).
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  { logger, timeoutMs = 30_000 }: EnsureTopicsOptions = {},
): Promise<Map<string, number>> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length > 0) {
    const topics: ITopicConfig[] = missing.map((s) => ({
      topic: s.topic,
      numPartitions: s.numPartitions,
      ...(s.replicationFactor ? { replicationFactor: s.replicationFactor } : {}),
      configEntries: (s.configEntries ?? []).map((e) => ({ ...e })),
    }));
    await admin.createTopics({ topics, waitForLeaders: false }).catch((error: unknown) => {
      logger?.debug({ err: error }, 'topic creation raced; checking what exists');
    });
    for (const s of missing) logger?.info({ topic: s.topic }, 'created topic');
  }
  return awaitLeaders(
    admin,
    specs.map((s) => s.topic),
    timeoutMs,
  );
}

/** Partition counts once every partition of every topic has a leader. */
export async function awaitLeaders(
  admin: Admin,
  topics: readonly string[],
  timeoutMs = 30_000,
): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem: string;
  for (let attempt = 0; ; attempt++) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: [...topics] });
      const counts = new Map(meta.map((t) => [t.name, t.partitions.length]));
      const leaderless = meta.filter(
        (t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0),
      );
      if (leaderless.length === 0 && topics.every((t) => counts.has(t))) return counts;
      lastProblem = `no leader yet for ${leaderless.map((t) => t.name).join(', ')}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      throw new TransientError(
        ErrorCode.KAFKA_TOPIC_NOT_READY,
        `Topics ${topics.join(', ')} not ready after ${timeoutMs} ms: ${lastProblem}`,
      );
    }
    await sleep(backoffDelay(attempt, { initialMs: 50, maxMs: 1_000 }));
  }
}

/**
 * Waits until every topic exists (created by another stage that may start later), polling
 * with backoff while `keepWaiting()` holds. Reports each wait through `onWait`.
 */
export async function untilTopicsExist(
  admin: Admin,
  topics: readonly string[],
  keepWaiting: () => boolean,
  onWait: (missing: readonly string[], delayMs: number) => void,
  signal?: AbortSignal,
): Promise<boolean> {
  for (let attempt = 0; keepWaiting(); attempt++) {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return true;
    const delayMs = backoffDelay(attempt, { initialMs: 250, maxMs: 10_000 });
    onWait(missing, delayMs);
    await sleep(delayMs, signal);
  }
  return false;
}
