import { createServer } from 'node:http';
import { followKey, type FollowChange } from '@bus/contracts';
import { createKafka } from '@bus/platform';
import type { PopulationServices } from '@bus/population';
import type { PipelineNames } from './pipeline';
import type { BenchContext } from './run-context';

/**
 * A stand-in for what the router's fills call: the provider's token endpoint (any POST
 * answers a token) and the national API's `GET /citizens/{id}/state`, answered by the same
 * query from the run's own population database. The run's apps verify no router token,
 * and the shared provider has no `share-router` client to ask.
 */
export async function startStateServer(
  services: PopulationServices,
): Promise<{ readonly url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'POST') return send(200, { access_token: 'bench', expires_in: 3600 });
    const id = /^\/citizens\/(\d{12})\/state$/.exec(request.url ?? '')?.[1];
    if (!id) return send(404, {});
    services.queries.getCurrentState(id).then(
      (state) => send(200, state),
      () => send(404, {}),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Land follows these citizens: the records its sync app's follows relay would write. */
export async function followAsLand(
  context: BenchContext,
  names: PipelineNames,
  personalIds: readonly string[],
): Promise<void> {
  const producer = createKafka({ brokers: context.brokers, clientId: 'bench-follows' }).producer({
    idempotent: true,
  });
  await producer.connect();
  try {
    const changedAt = new Date().toISOString();
    for (let i = 0; i < personalIds.length; i += 5_000) {
      await producer.send({
        topic: names.followsTopic,
        acks: -1,
        messages: personalIds.slice(i, i + 5_000).map((personalId) => {
          const change: FollowChange = {
            recipient: 'land',
            personalId,
            following: true,
            changedAt,
          };
          return { key: followKey('land', personalId), value: JSON.stringify(change) };
        }),
      });
    }
  } finally {
    await producer.disconnect();
  }
}
