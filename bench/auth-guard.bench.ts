/**
 * What the bearer guard costs an HTTP request: one Nest app with the guard (a real token
 * from the stack's provider, verified against its JWKS) and one without, same route, same
 * process, requests interleaved so that both see the same machine. Progress on stderr;
 * one JSON line on stdout. Needs the local stack (Keycloak) and OIDC_TOKEN: an access
 * token for the national-population audience with the officer role.
 */
import 'reflect-metadata';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BusAuthModule, loadAuthConfig, Rights } from '@bus/platform';

const REQUESTS = Number(process.argv[2] ?? 3_000);
const WARM_UP = 300;

@Controller('ping')
class PingController {
  @Get()
  @Rights('officer')
  ping(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [PingController] })
class Open {}

@Module({
  imports: [BusAuthModule.forService('national-population', loadAuthConfig('national-population'))],
  controllers: [PingController],
})
class Guarded {}

async function listen(module: object): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(module, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/ping` };
}

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

function summary(samples: number[]): { p50Ms: number; p99Ms: number; meanMs: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => Number(n.toFixed(3));
  return {
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length),
  };
}

async function main(): Promise<void> {
  const token = process.env.OIDC_TOKEN;
  if (!token) throw new Error('OIDC_TOKEN is required (npm run bench -- --auth-only sets it)');
  const open = await listen(Open);
  const guarded = await listen(Guarded);
  const auth = { authorization: `Bearer ${token}` };
  const without: number[] = [];
  const withGuard: number[] = [];
  for (let i = 0; i < WARM_UP + REQUESTS; i++) {
    const a = await timed(open.url, auth);
    const b = await timed(guarded.url, auth);
    if (i >= WARM_UP) {
      without.push(a);
      withGuard.push(b);
    }
  }
  await Promise.all([open.app.close(), guarded.app.close()]);
  const before = summary(without);
  const after = summary(withGuard);
  process.stderr.write(
    `auth guard: ${REQUESTS} requests each, without ${JSON.stringify(before)}, with ${JSON.stringify(after)}\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      requests: REQUESTS,
      withoutGuard: before,
      withGuard: after,
      addedP50Ms: Number((after.p50Ms - before.p50Ms).toFixed(3)),
      addedP99Ms: Number((after.p99Ms - before.p99Ms).toFixed(3)),
    })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`auth guard bench: ${String(error)}\n`);
    process.exit(1);
  },
);
