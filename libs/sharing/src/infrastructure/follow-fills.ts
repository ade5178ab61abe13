import type { Kafka, Message, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import {
  type AvroSerializer,
  POLICY_VERSION_HEADER,
  type ProjectedCitizenChanged,
  project,
  type Sector,
  sharingPolicy,
} from '@bus/contracts';
import type { CitizenStateSource } from '../application/citizen-state.port';
import type { ShareRouterConfig } from '../application/share-router.config';
import { sectorOfTopic } from '../domain/share-routing';
import type { FillBatch } from './follows.reader';
import { GroupCommit, transactionalProducer } from './group-commit';

/**
 * The fill of a new follow: the citizen's current state (from `states`) projected for the
 * sector and written to its share topic. A producer of its own (`<transactionalId>.fills`)
 * commits the fills of one follow-list batch with that batch's offset in the filled group,
 * so a follow is filled once. Ordering against routed changes: docs/ledger.md.
 */
export class FollowFills {
  private producer?: Producer;
  private broken = false;
  private readonly commits: GroupCommit;
  private readonly policyVersion = String(sharingPolicy().document.policyVersion);
  private readonly filled: Counter;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: ShareRouterConfig,
    private readonly states: CitizenStateSource,
    private readonly serializerOf: (sector: Sector) => AvroSerializer<ProjectedCitizenChanged>,
    registry: Registry,
    logger: Logger,
  ) {
    this.filled = new Counter({
      name: 'share_router_fills_total',
      help: 'Current states delivered to a followed sector for a new follow',
      labelNames: ['sector'],
      registers: [registry],
    });
    this.commits = new GroupCommit(
      () => this.producer as Producer,
      config.filledGroupId,
      (error) => {
        this.broken = true;
        logger.warn({ err: error }, 'fill producer stuck; it will be replaced');
      },
    );
  }

  async fill(batch: FillBatch): Promise<void> {
    if (!this.producer || this.broken) {
      await this.producer?.disconnect().catch(() => undefined);
      this.producer = await transactionalProducer(
        this.kafka,
        `${this.config.transactionalId}.fills`,
      );
      this.broken = false;
    }
    const byTopic = new Map<string, Message[]>();
    for (const { sector, personalId } of batch.fills) {
      // The citizen is in the set already: a change recorded after this read is routed.
      const state = await this.states.current(personalId);
      const projected = state && project(sector, state);
      if (!projected) continue;
      const topic = this.config.shareTopics[sector];
      const messages = byTopic.get(topic) ?? [];
      // No partition: the Java-compatible murmur2 of the key, where the relay put the citizen.
      messages.push({
        key: personalId,
        value: this.serializerOf(sector).serialize(projected),
        headers: { [POLICY_VERSION_HEADER]: this.policyVersion },
      });
      byTopic.set(topic, messages);
    }
    await this.commits.submit({
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      source: { topic: batch.topic, partition: batch.partition, offset: batch.nextOffset },
    });
    for (const [topic, messages] of byTopic) {
      const sector = sectorOfTopic(this.config.shareTopics, topic);
      if (sector) this.filled.inc({ sector }, messages.length);
    }
  }

  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
  }
}
