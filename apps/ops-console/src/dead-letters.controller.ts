import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import {
  Audited,
  Caller,
  ErrorCode,
  ForbiddenError,
  type Principal,
  Rights,
  ValidationError,
} from '@bus/platform';
import type { DeadLetterList, OpsRuntime, ReplayOutcome, ReplayRecord } from '@bus/lag-monitor';
import { ANY_OPS_ROLE, OpsRole } from './ops-roles';
import { OPS_RUNTIME } from './ops-runtime.token';

const replayOne = z.strictObject({
  partition: z.number().int().min(0),
  offset: z.number().int().min(0),
  force: z.boolean().optional(),
});

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw new ValidationError(ErrorCode.REQUEST_INVALID, 'The request body is invalid', {
    fields: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

/** Who the ledger names: the signed-in user's name at the provider, else the token's subject. */
const who = (caller: Principal) => caller.username ?? caller.subject;

/**
 * `:target` is a sector (bhyt) or a consumer group (bus.sync-bhyt). Viewers see masked
 * letters, operators replay, data-protection officers reveal; every call is audited.
 */
@Controller('api/dead-letters')
export class DeadLettersController {
  constructor(@Inject(OPS_RUNTIME) private readonly runtime: OpsRuntime) {}

  @Get(':target')
  @Rights(...ANY_OPS_ROLE)
  @Audited('dead-letters.list', { targetParam: 'target' })
  list(
    @Param('target') target: string,
    @Caller() caller: Principal,
    @Query('limit') limit?: string,
    @Query('reveal') reveal?: string,
  ): Promise<DeadLetterList> {
    const unmasked = reveal === 'true' || reveal === '1';
    if (unmasked && !caller.roles.includes(OpsRole.Dpo))
      throw new ForbiddenError(
        ErrorCode.RIGHT_MISSING,
        'Only a data-protection officer sees unmasked data',
      );
    return this.runtime.deadLetters.list(target, {
      ...(limit && /^\d+$/.test(limit) ? { limit: Number(limit) } : {}),
      reveal: unmasked,
      by: who(caller),
    });
  }

  @Get(':target/replays')
  @Rights(...ANY_OPS_ROLE)
  @Audited('dead-letters.history', { targetParam: 'target' })
  replays(@Param('target') target: string): Promise<ReplayRecord[]> {
    return this.runtime.deadLetters.history(target);
  }

  @Post(':target/replay')
  @HttpCode(200)
  @Rights(OpsRole.Operator)
  @Audited('dead-letters.replay', { targetParam: 'target' })
  replay(
    @Param('target') target: string,
    @Body() body: unknown,
    @Caller() caller: Principal,
  ): Promise<ReplayRecord> {
    const request = parse(replayOne, body);
    return this.runtime.deadLetters.replayOne(
      target,
      request.partition,
      request.offset,
      who(caller),
      request.force,
    );
  }

  @Post(':target/replay-all')
  @HttpCode(200)
  @Rights(OpsRole.Operator)
  @Audited('dead-letters.replay-all', { targetParam: 'target' })
  replayAll(@Param('target') target: string, @Caller() caller: Principal): Promise<ReplayOutcome> {
    return this.runtime.deadLetters.replayAll(target, who(caller));
  }
}
