import type { ExecutionContext } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { toHttpError } from '@bus/platform';
import type { SectorSyncEngine } from './sector-sync.engine';
import { SyncReadyGuard } from './sync-ready.guard';

const httpContext = (request: object = {}) =>
  ({
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
  }) as unknown as ExecutionContext;

const guard = (databaseReady: boolean) =>
  new SyncReadyGuard({ databaseReady } as unknown as SectorSyncEngine);

describe('SyncReadyGuard', () => {
  it('answers 503 SYNC_STARTING, retriable, until the migrations ran', () => {
    let thrown: unknown;
    try {
      guard(false).canActivate(httpContext());
    } catch (error) {
      thrown = error;
    }
    const { status, body } = toHttpError(thrown);
    expect(status).toBe(503);
    expect(body.error).toMatchObject({ code: 'SYNC_STARTING', retriable: true });
  });

  it('lets API requests through once the database is ready', () => {
    expect(guard(true).canActivate(httpContext())).toBe(true);
  });
});
