import fs from 'node:fs';
import { vi } from 'vitest';
import { onCleanup } from './cleanup';

/**
 * Every line the process writes to stdout from now until the test ends: the bus's pino
 * loggers write synchronously to fd 1 (fs.writeSync), so that is where they are caught.
 * The lines are kept, not printed.
 */
export function captureStdoutLogs(): { text: () => string; lines: () => string[] } {
  const chunks: string[] = [];
  const original = fs.writeSync.bind(fs) as (...args: unknown[]) => number;
  const spy = vi.spyOn(fs, 'writeSync').mockImplementation(((
    fd: number,
    data: unknown,
    ...rest: unknown[]
  ) => {
    if (fd !== 1) return original(fd, data, ...rest);
    const text = typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8');
    chunks.push(text);
    return Buffer.byteLength(text);
  }) as typeof fs.writeSync);
  onCleanup(() => spy.mockRestore());
  const text = () => chunks.join('');
  return {
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.length > 0),
  };
}
