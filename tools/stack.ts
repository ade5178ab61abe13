import { parseArgs } from 'node:util';
import { stackDown, stackStatus, stackUp } from './lib/stack-control.ts';

// `npm run stack:up -- --nodes 3`: a three-node KRaft cluster (STACK_KAFKA_NODES=3 says the same).
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { nodes: { type: 'string' } },
});
if (values.nodes !== undefined && values.nodes !== '1' && values.nodes !== '3') {
  console.error('stack: --nodes takes 1 or 3');
  process.exit(2);
}
const nodes = values.nodes === undefined ? undefined : values.nodes === '3' ? 3 : 1;
const commands: Record<string, () => Promise<void>> = {
  up: () => stackUp(nodes ? { nodes } : {}),
  down: stackDown,
  status: stackStatus,
};
const command = commands[positionals[0] ?? ''];
if (!command) {
  console.error('usage: node tools/stack.ts up [--nodes 1|3] | down | status');
  process.exit(2);
}
try {
  await command();
} catch (error) {
  // One readable line (or a short block of log lines), never a stack trace.
  console.error(`stack: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
