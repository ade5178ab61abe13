import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import {
  BaseRpcContext,
  type CustomTransportStrategy,
  EventPattern,
  type MessageHandler,
  Server,
} from '@nestjs/microservices';
import type { PoolClient } from 'pg';
import type { Logger } from 'pino';
import { lastValueFrom, type Observable, throwError } from 'rxjs';
import type { ApplyContext } from '../application/sector-sync.options';
import type { SyncEvent } from '../domain/sync-envelope';
import type { SectorSyncEngine } from './sector-sync.engine';

/**
 * The pattern of the handler that receives runs of consecutive events that have no
 * handler of their own, as one array (bulk reads and writes in one call).
 */
export const EVENT_RUN = 'sector-sync.event-run';

/**
 * `@EventPattern(EVENT_RUN)`, usable on a method whose context parameter is typed
 * `SyncContext` (Nest's typed overload for a single string pattern wants `unknown` there).
 */
export const OnEventRun = (): MethodDecorator => EventPattern([EVENT_RUN]);

/** What a sector's handler can reach besides its payload: the batch's transaction. */
export class SyncContext extends BaseRpcContext<[PoolClient, ApplyContext]> {
  /** The batch's PostgreSQL transaction: write with it, never commit or roll it back. */
  getTransaction(): PoolClient {
    return this.args[0];
  }

  getTopic(): string {
    return this.args[1].topic;
  }

  getPartition(): number {
    return this.args[1].partition;
  }

  getLogger(): Logger {
    return this.args[1].logger;
  }

  /**
   * Starts following citizens in the batch's transaction (the follow commits with the rules'
   * writes): the router then delivers their changes to a `followed` sector.
   */
  follow(personalIds: readonly string[]): Promise<string[]> {
    return this.args[1].follows.follow(personalIds);
  }

  unfollow(personalIds: readonly string[]): Promise<string[]> {
    return this.args[1].follows.unfollow(personalIds);
  }
}

/**
 * Hands rule errors to the sync framework unchanged. Nest's default RPC filter turns every
 * unknown error into `{ status: 'error' }`, which would hide a database outage (retry) or
 * a rule's code (dead-letter reason) from the classification.
 */
@Catch()
export class SyncErrorPassThrough implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Sector sync as a NestJS microservice transport. The bus's partition loop fetches, and
 * each batch is applied in one PostgreSQL transaction; inside it, every event goes to the
 * `@EventPattern` handler of its type (`patternOf`), in partition order, and runs of events
 * with no handler of their own go together to the `@EventPattern(EVENT_RUN)` handler.
 * A handler that throws a rule error gets its event dead-lettered alone (the framework
 * replays the batch event by event under savepoints); an infrastructure error retries.
 */
export class SectorSyncTransport<E = unknown> extends Server implements CustomTransportStrategy {
  constructor(
    private readonly engine: SectorSyncEngine,
    private readonly patternOf: (event: E) => string,
  ) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    this.engine.useApply((events, tx, context) =>
      this.dispatch(events as readonly SyncEvent<E>[], tx, context),
    );
    // Not awaited: the HTTP side (health says "starting") comes up while the database or the
    // broker is still being waited for; a failure that waiting cannot cure is on /health.
    this.engine.start().catch(() => undefined);
    callback();
  }

  async close(): Promise<void> {
    await this.engine.stop();
  }

  on(): never {
    throw new TypeError('SectorSyncTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.engine as T;
  }

  private async dispatch(
    events: readonly SyncEvent<E>[],
    tx: PoolClient,
    context: ApplyContext,
  ): Promise<void> {
    const ctx = new SyncContext([tx, context]);
    let run: E[] = [];
    const flush = async () => {
      if (run.length === 0) return;
      const handler = this.getHandlerByPattern(EVENT_RUN);
      const payload = run;
      run = [];
      if (handler) await this.invoke(handler, payload, ctx);
    };
    for (const { event } of events) {
      const own = this.getHandlerByPattern(this.patternOf(event));
      if (!own) {
        run.push(event);
        continue;
      }
      await flush();
      await this.invoke(own, event, ctx);
    }
    await flush();
  }

  private async invoke(handler: MessageHandler, payload: unknown, ctx: SyncContext): Promise<void> {
    const result: unknown = await handler(payload, ctx);
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }
}
