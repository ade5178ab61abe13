import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Rights } from '../auth/auth.guard';
import { type AuditRow, AuditTrail } from './audit-trail';
import { Audited } from './audit.interceptor';

/** The data-protection officer's role on every API's audience. */
export const DPO_ROLE = 'dpo';

/**
 * `GET /audit?citizen=&actor=&limit=`: the service's own audit trail, newest first, for a
 * data-protection officer only (the query itself is audited). Mounted by every app that
 * keeps a trail.
 */
@Controller('audit')
export class AuditQueryController {
  constructor(@Inject(AuditTrail) private readonly trail: AuditTrail) {}

  @Get()
  @Rights(DPO_ROLE)
  @Audited('audit.query')
  query(
    @Query('citizen') citizen?: string,
    @Query('actor') actor?: string,
    @Query('limit') limit?: string,
  ): Promise<AuditRow[]> {
    return this.trail.query({
      ...(citizen ? { citizenId: citizen } : {}),
      ...(actor ? { actor } : {}),
      ...(limit && /^\d+$/.test(limit) ? { limit: Number(limit) } : {}),
    });
  }
}
