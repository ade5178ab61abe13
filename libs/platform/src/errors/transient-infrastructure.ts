import { TransientError } from './bus-error';

// SQLSTATE classes that mean "the server or the connection is not available right now".
const TRANSIENT_SQLSTATE = /^(08|53|57P0[1-3]|40001|40P01)/;
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** True when an infrastructure error (pg, net, kafkajs) is worth retrying. */
export function isTransientInfrastructureError(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; retriable?: unknown; message?: unknown; name?: unknown };
  if (e.retriable === true) return true;
  if (typeof e.code === 'string') {
    if (TRANSIENT_NODE_CODES.has(e.code) || TRANSIENT_SQLSTATE.test(e.code)) return true;
  }
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    message,
  );
}
