/**
 * The write path's same-run anchor: the national API's HTTP stack (Nest on Express, the
 * bus's pino request logging, the bearer guard against the stack's provider, the same JSON
 * body parser) answering each POST with ONE INSERT of a row the size of a citizen's state,
 * on a pool of the API's size. What the national API does beyond this is the command's own
 * cost. Run by bench/e2e.bench.ts as a child process; prints one JSON line when listening.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Module, Param, Post, Put } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import {
  BusAuthModule,
  busLoggerModule,
  createPool,
  loadAuthConfig,
  Rights,
  type Pool,
} from '@bus/platform';
import { jsonBody } from '@bus/population';

const POOL = Symbol('pool');
const databaseUrl = process.env.ANCHOR_DATABASE_URL ?? '';

@Controller('citizens')
class AnchorController {
  constructor(@Inject(POOL) private readonly pool: Pool) {}

  // The routes the bench's command mix uses (bench/lib/http-load.ts), all one INSERT.
  @Post(':id/name')
  @Rights('officer', 'admin')
  @HttpCode(200)
  name(@Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.write(id, body);
  }

  @Put(':id/:kind')
  @Rights('officer', 'admin')
  residence(@Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.write(id, body);
  }

  private async write(id: string, body: Record<string, unknown>) {
    const eventId = randomUUID();
    await this.pool.query(
      'INSERT INTO anchor_changes (event_id, personal_id, state) VALUES ($1, $2, $3)',
      [eventId, id, JSON.stringify({ personalId: id, ...body, padding: PADDING })],
    );
    return { personalId: id, eventId };
  }
}

// A citizen's state is ~600 B of JSON (name, dates, residences, parents): pad to that.
const PADDING = 'x'.repeat(480);

@Module({
  imports: [
    busLoggerModule('http-anchor'),
    BusAuthModule.forService('national-population', loadAuthConfig('national-population')),
  ],
  controllers: [AnchorController],
  providers: [{ provide: POOL, useFactory: () => createPool(databaseUrl, 20) }],
})
class AnchorModule {}

async function main(): Promise<void> {
  const setup = createPool(databaseUrl, 1);
  await setup.query(`CREATE TABLE IF NOT EXISTS anchor_changes (
    seq bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, personal_id text NOT NULL,
    state jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`);
  await setup.end();
  const app = await NestFactory.create(AnchorModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.use(jsonBody('64kb'));
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'http anchor listening' })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`http anchor: ${String(error)}\n`);
  process.exit(1);
});
