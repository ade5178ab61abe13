import type { Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Pool } from 'pg';
import { AuditTrail } from './audit-trail';
import { AuditInterceptor } from './audit.interceptor';

/** For an app module's providers: the audit trail on the app's pool (its DI token) and the interceptor. */
export function auditProviders(poolToken: string | symbol): Provider[] {
  return [
    { provide: AuditTrail, inject: [poolToken], useFactory: (pool: Pool) => new AuditTrail(pool) },
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ];
}
