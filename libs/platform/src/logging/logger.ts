import pino, { type Logger, type LoggerOptions } from 'pino';
import { maskDeep, maskPersonalIdsInText } from './mask';

export type { Logger } from 'pino';

/** Options shared by every process so that each JSON line names its service and masks IDs. */
export function loggerOptions(
  service: string,
  level = process.env.LOG_LEVEL ?? 'info',
): LoggerOptions {
  return {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      // Every logged object, at any depth (bindings are the service's own, never personal).
      log: (object) => maskDeep(object) as Record<string, unknown>,
    },
    hooks: {
      // Messages too: a personal ID interpolated into text is masked like one in a field.
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? maskPersonalIdsInText(arg) : arg)) as [
            string,
          ],
        );
      },
    },
  };
}

/**
 * Synchronous writes to stdout. Nest re-raises SIGTERM once its shutdown hooks have run,
 * and a process killed by a signal never flushes pino's async buffer: the last lines
 * ("sector sync stopped", say) would be lost exactly when an operator needs them.
 */
export function stdoutDestination(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: true });
}

export function createLogger(service: string, level?: string): Logger {
  return pino(loggerOptions(service, level), stdoutDestination());
}
