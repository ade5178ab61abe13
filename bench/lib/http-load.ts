import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMUNES } from '@bus/contracts';
import { Picker, STREETS } from '@bus/population';
import { percentile } from './run-context';

/** An access token from the stack's provider for a local test user (password grant of bus-cli). */
export async function fetchToken(user: string): Promise<string> {
  const issuer = (
    process.env.OIDC_ISSUER ??
    process.env.STACK_OIDC_ISSUER ??
    'http://127.0.0.1:8180/realms/citizen-bus'
  ).replace(/\/+$/, '');
  const secrets = JSON.parse(
    readFileSync(join(process.cwd(), '.stack/oidc-secrets.json'), 'utf8'),
  ) as { users: Record<string, string> };
  const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'bus-cli',
      username: user,
      password: secrets.users[user] ?? '',
    }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`the provider refused a token for ${user}`);
  return body.access_token;
}

export interface HttpCommand {
  readonly method: 'PUT' | 'POST';
  readonly path: string;
  readonly body: unknown;
  /** The citizen it changes (the latency phase follows it through the bus). */
  readonly personalId: string;
}

const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * The same mix as the in-process writer (bench/lib/change-writer.ts), as HTTP requests to the
 * national API: permanent residence and name changes reach all four sectors, temporary
 * residence all but land.
 */
export function commandMix(seed: () => number): (personalId: string) => HttpCommand {
  const pick = new Picker(seed);
  const since = today();
  return (personalId) => {
    const roll = pick.random();
    const communeCode = pick.one(COMMUNES).code;
    const address = `${pick.int(1, 300)} ${pick.one(STREETS)}`;
    if (roll < 0.4) {
      return {
        method: 'PUT',
        path: `/citizens/${personalId}/permanent-residence`,
        body: { communeCode, address, since },
        personalId,
      };
    }
    if (roll < 0.75) {
      return {
        method: 'PUT',
        path: `/citizens/${personalId}/temporary-residence`,
        body: { communeCode, address, since },
        personalId,
      };
    }
    return {
      method: 'POST',
      path: `/citizens/${personalId}/name`,
      body: { fullName: pick.fullName(pick.chance(0.5) ? 'MALE' : 'FEMALE') },
      personalId,
    };
  };
}

export interface Sent {
  readonly command: HttpCommand;
  /** When it was due (open loop) or sent (closed loop), performance.now() ms. */
  readonly dueAt: number;
  readonly sentAt: number;
  readonly answeredAt: number;
  readonly status: number;
}

async function send(base: string, token: string, command: HttpCommand): Promise<number> {
  const response = await fetch(`${base}${command.path}`, {
    method: command.method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(command.body),
  });
  await response.arrayBuffer();
  return response.status;
}

/** 2xx recorded; 409/412/422 a business refusal (the same name drawn again); anything else an error. */
const refused = (status: number) => status === 409 || status === 412 || status === 422;

export function summarise(sent: readonly Sent[], seconds: number, asked?: number) {
  const ok = sent.filter((s) => s.status >= 200 && s.status < 300);
  const ms = ok.map((s) => s.answeredAt - s.dueAt).sort((a, b) => a - b);
  const round = (n: number | null) => (n === null ? null : Number(n.toFixed(1)));
  const statuses: Record<string, number> = {};
  for (const s of sent) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  return {
    ...(asked === undefined ? {} : { askedPerSec: asked }),
    sent: sent.length,
    recorded: ok.length,
    refused: sent.filter((s) => refused(s.status)).length,
    errors: sent.filter((s) => !refused(s.status) && (s.status < 200 || s.status >= 300)).length,
    statuses,
    seconds: Number(seconds.toFixed(2)),
    commandsPerSec: Math.round(ok.length / seconds),
    p50Ms: round(percentile(ms, 50)),
    p95Ms: round(percentile(ms, 95)),
    p99Ms: round(percentile(ms, 99)),
    maxMs: round(ms.at(-1) ?? null),
  };
}

/**
 * Closed loop: `concurrency` requests in flight for `seconds`, each worker sending its next
 * as soon as the last answered; latency is send → answer. Targets are used in order, once each.
 */
export async function closedLoop(
  base: string,
  token: string,
  commands: Iterator<HttpCommand>,
  concurrency: number,
  seconds: number,
): Promise<{ sent: Sent[]; seconds: number }> {
  const sent: Sent[] = [];
  const started = performance.now();
  const end = started + seconds * 1_000;
  const worker = async () => {
    while (performance.now() < end) {
      const next = commands.next();
      if (next.done) return;
      const at = performance.now();
      const status = await send(base, token, next.value).catch(() => 0);
      sent.push({
        command: next.value,
        dueAt: at,
        sentAt: at,
        answeredAt: performance.now(),
        status,
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { sent, seconds: (performance.now() - started) / 1_000 };
}

/**
 * Open loop: request i is due at start + i / rate whatever happened to the earlier ones, so
 * a slow answer cannot hold back the next request (no coordinated omission); latency runs
 * from when the request was due, so time spent queued in the driver counts too.
 */
export async function openLoop(
  base: string,
  token: string,
  commands: readonly HttpCommand[],
  rate: number,
): Promise<{ sent: Sent[]; seconds: number; startedAt: number; lateMs: number }> {
  const sent: Sent[] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  let lateMs = 0;
  for (let i = 0; i < commands.length; i++) {
    const due = started + (i * 1_000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const at = performance.now();
    lateMs = Math.max(lateMs, at - due);
    const command = commands[i]!;
    inFlight.push(
      send(base, token, command)
        .catch(() => 0)
        .then((status) => {
          sent.push({ command, dueAt: due, sentAt: at, answeredAt: performance.now(), status });
        }),
    );
  }
  await Promise.all(inFlight);
  // Achieved: answers per second from the first due time to the last answer.
  const last = Math.max(...sent.map((s) => s.answeredAt));
  return {
    sent,
    seconds: (last - started) / 1_000,
    startedAt: started,
    lateMs: Number(lateMs.toFixed(1)),
  };
}
