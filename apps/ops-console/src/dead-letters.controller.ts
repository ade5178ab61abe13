import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { z } from 'zod';
import { ErrorCode, ValidationError } from '@bus/platform';
import type { DeadLetterList, OpsRuntime, ReplayOutcome, ReplayRecord } from '@bus/lag-monitor';
import { OPS_RUNTIME } from './ops-runtime.token';

const replayOne = z.object({
  partition: z.number().int().min(0),
  offset: z.number().int().min(0),
  force: z.boolean().optional(),
  by: z.string().optional(),
});
const replayAll = z.object({ by: z.string().optional() });

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw new ValidationError(ErrorCode.REQUEST_INVALID, 'The request body is invalid', {
    fields: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

/** `:target` is a sector (bhyt) or a consumer group (bus.sync-bhyt). */
@Controller('api/dead-letters')
export class DeadLettersController {
  constructor(@Inject(OPS_RUNTIME) private readonly runtime: OpsRuntime) {}

  @Get(':target')
  list(
    @Param('target') target: string,
    @Query('limit') limit?: string,
    @Query('reveal') reveal?: string,
    @Headers('x-ops-user') user?: string,
  ): Promise<DeadLetterList> {
    return this.runtime.deadLetters.list(target, {
      ...(limit && /^\d+$/.test(limit) ? { limit: Number(limit) } : {}),
      reveal: reveal === 'true' || reveal === '1',
      ...(user ? { by: user } : {}),
    });
  }

  @Get(':target/replays')
  replays(@Param('target') target: string): Promise<ReplayRecord[]> {
    return this.runtime.deadLetters.history(target);
  }

  @Post(':target/replay')
  @HttpCode(200)
  replay(
    @Param('target') target: string,
    @Body() body: unknown,
    @Headers('x-ops-user') user?: string,
  ): Promise<ReplayRecord> {
    const request = parse(replayOne, body);
    const by = request.by ?? user;
    return this.runtime.deadLetters.replayOne(
      target,
      request.partition,
      request.offset,
      by,
      request.force,
    );
  }

  @Post(':target/replay-all')
  @HttpCode(200)
  replayAll(
    @Param('target') target: string,
    @Body() body: unknown,
    @Headers('x-ops-user') user?: string,
  ): Promise<ReplayOutcome> {
    return this.runtime.deadLetters.replayAll(target, parse(replayAll, body).by ?? user);
  }
}
