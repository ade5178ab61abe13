type Cleanup = () => Promise<unknown> | unknown;

const pending: Cleanup[] = [];

/** Registers work to run after the current test, newest first (clients before their databases). */
export function onCleanup(cleanup: Cleanup): void {
  pending.push(cleanup);
}

export async function runCleanups(): Promise<void> {
  const errors: unknown[] = [];
  while (pending.length > 0) {
    const cleanup = pending.pop() as Cleanup;
    try {
      await cleanup();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'cleanup after the test failed');
}
