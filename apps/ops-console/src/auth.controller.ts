import { Controller, Get, Inject, Query } from '@nestjs/common';
import {
  AUTH_CONFIG,
  type AuditRow,
  AuditTrail,
  type AuthConfig,
  Public,
  Rights,
} from '@bus/platform';
import { OpsRole } from './ops-roles';

/** What the page needs to sign in (authorization code + PKCE, public client), and the trail. */
@Controller()
export class AuthController {
  constructor(
    @Inject(AUTH_CONFIG) private readonly auth: AuthConfig,
    @Inject(AuditTrail) private readonly trail: AuditTrail,
  ) {}

  /** Public: the provider's issuer and this console's client ID are not secrets. */
  @Get('auth-config.json')
  @Public()
  config(): { issuer: string; clientId: string } {
    return { issuer: this.auth.issuer, clientId: this.auth.audience };
  }

  /** The console's audit trail, for a data-protection officer: by citizen, by actor. */
  @Get('api/audit')
  @Rights(OpsRole.Dpo)
  audit(
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
