import { BusError } from './bus-error';
import { ErrorCode } from './error-codes';

/** A bad setting (environment variable, flag, operator-supplied table): fix it and restart. */
export class ConfigError extends BusError {
  constructor(message: string) {
    super(ErrorCode.CONFIG_INVALID, 'internal', message, { retriable: false });
  }
}
