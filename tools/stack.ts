import { stackDown, stackStatus, stackUp } from './lib/stack-control.ts';

const commands: Record<string, () => Promise<void>> = {
  up: stackUp,
  down: stackDown,
  status: stackStatus,
};
const command = commands[process.argv[2] ?? ''];
if (!command) {
  console.error('usage: node tools/stack.ts up|down|status');
  process.exit(2);
}
try {
  await command();
} catch (error) {
  // One readable line (or a short block of log lines), never a stack trace.
  console.error(`stack: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
