import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { type AuthConfig, loadAuthConfig } from './auth.config';
import { BearerAuthGuard } from './auth.guard';
import { TokenVerifier } from './token-verifier';

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

/** The bearer guard on every route of the app; the provider's settings from validated config. */
@Module({})
export class BusAuthModule {
  static forService(service: string, config?: AuthConfig): DynamicModule {
    return {
      module: BusAuthModule,
      global: true,
      providers: [
        { provide: AUTH_CONFIG, useFactory: () => config ?? loadAuthConfig(service) },
        {
          provide: TokenVerifier,
          inject: [AUTH_CONFIG],
          useFactory: (c: AuthConfig) => new TokenVerifier(c),
        },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
      ],
      exports: [AUTH_CONFIG, TokenVerifier],
    };
  }
}
