import { Controller, Get, Inject } from '@nestjs/common';
import { AUTH_CONFIG, type AuthConfig, Public } from '@bus/platform';

/** What the page needs to sign in (authorization code + PKCE, public client). */
@Controller()
export class AuthController {
  constructor(@Inject(AUTH_CONFIG) private readonly auth: AuthConfig) {}

  /** Public: the provider's issuer and this console's client ID are not secrets. */
  @Get('auth-config.json')
  @Public()
  config(): { issuer: string; clientId: string } {
    return { issuer: this.auth.issuer, clientId: this.auth.audience };
  }
}
