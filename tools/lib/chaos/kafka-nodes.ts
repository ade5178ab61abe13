/**
 * The broker faults' view of the stack's Kafka nodes. The names are those of the cluster
 * engineer's tools/lib/kafka-nodes.ts (kafkaNodes, bootstrapBrokers, nodePid, killNode,
 * stopNode, startNode); until that module is merged this adapter drives the one node that
 * tools/lib/kafka-broker.ts runs, so the campaign calls the same API on one node or three.
 */
import { join } from 'node:path';
import { BROKER, kafkaProcess, startKafka } from '../kafka-broker.ts';
import { runningPid, stopProcess } from '../processes.ts';
import { STATE_DIR } from '../paths.ts';
import { KAFKA_CONTROLLER_PORT, KAFKA_PORT } from '../stack-settings.ts';
import { StackError } from '../stack-error.ts';

export interface KafkaNode {
  readonly id: number;
  readonly brokerPort: number;
  readonly controllerPort: number;
  readonly logFile: string;
}

const SINGLE: KafkaNode = {
  id: 1,
  brokerPort: KAFKA_PORT,
  controllerPort: KAFKA_CONTROLLER_PORT,
  logFile: join(STATE_DIR, 'kafka', 'kafka.log'),
};

export function kafkaNodes(): readonly KafkaNode[] {
  return [SINGLE];
}

export function bootstrapBrokers(): string[] {
  return [BROKER];
}

function only(id: number): void {
  if (id !== SINGLE.id) throw new StackError(`no kafka node ${id} on a single-node stack`);
}

export function nodePid(id: number): number | undefined {
  only(id);
  return runningPid(kafkaProcess);
}

const gone = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

export async function killNode(id: number): Promise<void> {
  const pid = nodePid(id);
  if (pid === undefined) return;
  process.kill(pid, 'SIGKILL');
  while (!gone(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
}

export async function stopNode(id: number): Promise<void> {
  only(id);
  await stopProcess(kafkaProcess, 60_000);
}

export async function startNode(id: number): Promise<void> {
  only(id);
  await startKafka(120_000);
}
