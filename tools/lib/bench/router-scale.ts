import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { build } from '../build.ts';
import { bootstrapBrokers, topicReplication } from '../kafka-nodes.ts';
import { ROOT } from '../paths.ts';
import { stackUp } from '../stack-control.ts';
import { describeMachine } from './machine.ts';
import { runScenario } from './scenario.ts';

export interface RouterScaleOptions {
  readonly events: number;
  readonly partitions: number;
  /** 1: K = 1, 2, 3; 2: then 3, 2, 1 again (interleaved against drifting load). */
  readonly rounds: number;
}

/**
 * `npm run bench -- --router-scale`: the share router with 1, 2 and 3 instances in one group
 * (bench/router-scale.bench.ts) on the three-node cluster, whatever the stack ran before
 * (switching formats the cluster afresh). The result goes to bench/results/router-scale/.
 */
export async function benchRouterScale(options: RouterScaleOptions): Promise<string> {
  await stackUp({ nodes: 3 });
  // The stack may have been one node when the bench read its settings: every node now.
  process.env.KAFKA_BROKERS = bootstrapBrokers().join(',');
  process.env.MASTER_TOPIC_REPLICATION_FACTOR = '3';
  build();
  const loadBefore = os.loadavg().map((l) => Number(l.toFixed(2)));
  const scenario = await runScenario('router-scale', [
    '--events',
    String(options.events),
    '--partitions',
    String(options.partitions),
    '--rounds',
    String(options.rounds),
  ]);
  // The internal topics the routers' transactions and offsets used: replicated like the rest?
  const internalTopics = await topicReplication(['__consumer_offsets', '__transaction_state']);
  const result = {
    at: new Date().toISOString(),
    // describeMachine's load average is the one after the run.
    machine: { ...describeMachine(), loadAverageBefore: loadBefore },
    parameters: options,
    ...scenario,
    internalTopics,
  };
  const dir = join(ROOT, 'bench/results/router-scale');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `router-scale-${result.at.replaceAll(':', '-')}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
