/**
 * The local stack's ports and database names. They default to the ones the docs name; an
 * engineer who needs a second stack beside a shared one (another checkout's, say) moves
 * them with STACK_* variables, and the apps' defaults in @bus/platform follow the same ones.
 */
const port = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value > 0 && value < 65_536 ? value : fallback;
};

export const KAFKA_PORT = port('STACK_KAFKA_PORT', 9092);
export const KAFKA_CONTROLLER_PORT = port('STACK_KAFKA_CONTROLLER_PORT', 9093);
export const REGISTRY_PORT = port('STACK_REGISTRY_PORT', 8081);
export const DATABASE_SUFFIX = process.env.STACK_DATABASE_SUFFIX ?? '';
export const DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/**
 * An OpenID Connect issuer the stack does not run (a shared provider, a ministry's own):
 * stack:up then checks that it answers and starts no Keycloak of its own.
 */
export const EXTERNAL_OIDC_ISSUER = process.env.STACK_OIDC_ISSUER;
/**
 * `plaintext` runs the broker without TLS, SASL or ACLs: only to measure what security costs
 * (`npm run bench`, docs/benchmarks.md). Anything else, or unset: SASL_SSL.
 */
export const KAFKA_PLAINTEXT = process.env.STACK_KAFKA_SECURITY === 'plaintext';
/**
 * How many Kafka nodes the stack runs: 1 or 3 (a KRaft cluster, combined broker and controller
 * roles: the fault campaign and the bench's scale scenario). Unset: the layout the stack was
 * formatted for last, and 1 on a fresh checkout (`npm start`, `npm test`).
 * `npm run stack:up -- --nodes 3` asks for the cluster for one command (and it then stays).
 */
const nodes = process.env.STACK_KAFKA_NODES;
export const KAFKA_NODES: 1 | 3 | undefined = nodes === '3' ? 3 : nodes === '1' ? 1 : undefined;
/**
 * Node n (1-based) of a cluster listens on STACK_KAFKA_PORT + 10·(n−1) for clients and
 * STACK_KAFKA_CONTROLLER_PORT + 10·(n−1) for the quorum: 9092/9093, 9102/9103, 9112/9113.
 */
export const KAFKA_NODE_PORT_STEP = 10;
