import {
  type BeforeApplicationShutdown,
  Controller,
  type DynamicModule,
  Get,
  Header,
  Headers,
  Inject,
  Module,
  type OnApplicationBootstrap,
  Param,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { assertValidPersonalId } from '@bus/contracts';
import {
  callerOf,
  createLogger,
  ErrorCode,
  ForbiddenError,
  hasAnyRole,
  Rights,
} from '@bus/platform';
import type { LedgerConfig } from '../application/ledger.config';
import { disclosuresCsv, parsePeriod, type Disclosure } from '../domain/disclosure';
import { LedgerIngestEngine } from './ledger-ingest.engine';

export interface DisclosuresBody {
  readonly personalId: string;
  readonly from: string;
  readonly to: string;
  readonly disclosures: readonly Disclosure[];
}

/** A citizen reads their own disclosures; a data-protection officer reads anyone's. */
export const LEDGER_CITIZEN_ROLE = 'citizen';
export const LEDGER_DPO_ROLE = 'dpo';

/**
 * "Who received my data" (Law 91/2025/QH15): every delivery of a citizen's data that a
 * recipient committed. The app's bearer guard (`BusAuthModule`, apps/ledger) requires one of
 * the rights below; the caller it verified is checked against the ID and recorded by
 * `auditRead`. Composed without the guard (the tests), reads are recorded as unauthenticated.
 */
@Controller('citizens')
@Rights(LEDGER_CITIZEN_ROLE, LEDGER_DPO_ROLE)
class DisclosuresController {
  constructor(@Inject(LedgerIngestEngine) private readonly engine: LedgerIngestEngine) {}

  @Get(':personalId/disclosures')
  async disclosures(
    @Param('personalId') personalId: string,
    @Query('from') from: string | undefined,
    @Query('to') to: string | undefined,
    @Query('format') format: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DisclosuresBody | string> {
    // As the sectors' read side: a well-formed number is looked up as it is.
    if (!/^\d{12}$/.test(personalId)) assertValidPersonalId(personalId);
    const period = parsePeriod(from, to, new Date());
    const caller = callerOf(request);
    const dpo = caller !== undefined && hasAnyRole(caller, [LEDGER_DPO_ROLE]);
    if (caller && !dpo && caller.personalId !== personalId) {
      throw new ForbiddenError(
        ErrorCode.NOT_OWN_RECORD,
        'A citizen may read their own disclosures only',
      );
    }
    const repository = this.engine.repository;
    await repository.auditRead(personalId, period, {
      reader: caller ? (caller.username ?? caller.subject) : 'unauthenticated',
      role: caller ? (dpo ? LEDGER_DPO_ROLE : LEDGER_CITIZEN_ROLE) : 'none',
    });
    const disclosures = await repository.disclosuresOf(personalId, period);
    if (format === 'csv' || (format === undefined && accept?.includes('text/csv'))) {
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      response.setHeader('Content-Disposition', 'attachment; filename="disclosures.csv"');
      return disclosuresCsv(disclosures);
    }
    return {
      personalId,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      disclosures,
    };
  }
}

@Controller()
class LedgerHttpController {
  constructor(@Inject(LedgerIngestEngine) private readonly engine: LedgerIngestEngine) {}

  @Get('health')
  async health(@Res({ passthrough: true }) response: Response): Promise<object> {
    const database = await this.engine.pool.query('SELECT 1').then(
      () => 'up',
      () => 'down',
    );
    const ok = this.engine.isRunning && database === 'up';
    response.status(ok ? 200 : 503);
    return { ok, ingest: this.engine.isRunning ? 'running' : 'starting', database };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.engine.registry.metrics();
  }
}

class LedgerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly engine: LedgerIngestEngine) {}

  onApplicationBootstrap(): void {
    // Not awaited: /health answers 503 while the database or the receipts topic is waited for.
    this.engine.start().catch(() => undefined);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }
}

/** The ledger service: receipts ingest, the disclosures API, /health and /metrics. */
@Module({})
export class LedgerModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: LedgerModule,
      controllers: [DisclosuresController, LedgerHttpController],
      providers: [
        {
          provide: LedgerIngestEngine,
          useFactory: () => new LedgerIngestEngine(config, createLogger('ledger')),
        },
        {
          provide: LedgerLifecycle,
          inject: [LedgerIngestEngine],
          useFactory: (engine: LedgerIngestEngine) => new LedgerLifecycle(engine),
        },
      ],
      exports: [LedgerIngestEngine],
    };
  }
}
