import pg from 'pg';
import { describeError, type Logger } from '@bus/platform';

/**
 * One of the relay's own PostgreSQL connections. Keep-alive: a half-open connection must
 * not hold the leader lock (and block failover) for hours. A lost connection is logged and
 * handed to `onLost`, which forgets it (and, for the leader's, the leadership).
 */
export async function openRelayClient(
  databaseUrl: string,
  logger: Logger,
  role: string,
  onLost: (client: pg.Client) => void,
): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
  });
  client.on('error', (error) => {
    logger.warn({ err: describeError(error) }, `outbox relay lost its ${role} connection`);
    onLost(client);
  });
  await client.connect();
  return client;
}

/** Session advisory lock that elects the one publishing relay per database ('POPR' + 1). */
export const RELAY_LEADER_LOCK = 0x504f5052_01;

/** Whether this session now holds the relay's leader lock (held until the session ends). */
export async function tryLeadRelay(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(
    'SELECT pg_try_advisory_lock($1) AS locked',
    [RELAY_LEADER_LOCK],
  );
  return rows[0]?.locked === true;
}
