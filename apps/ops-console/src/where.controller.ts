import { Controller, Get, Inject, Param } from '@nestjs/common';
import { Audited, Rights } from '@bus/platform';
import type { EventTrailAnswer, OpsRuntime } from '@bus/lag-monitor';
import { ANY_OPS_ROLE } from './ops-roles';
import { OPS_RUNTIME } from './ops-runtime.token';

/**
 * "Where is this event?": `:id` is an event id or a personal ID (that citizen's latest
 * events). Every ops role may ask; the answer masks the personal ID, and each question is
 * in the audit trail (it is a look at one citizen's data).
 */
@Controller('api/where')
export class WhereController {
  constructor(@Inject(OPS_RUNTIME) private readonly runtime: OpsRuntime) {}

  @Get(':id')
  @Rights(...ANY_OPS_ROLE)
  @Audited('events.where')
  where(@Param('id') id: string): Promise<EventTrailAnswer> {
    return this.runtime.trail.find(id);
  }
}
