import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HttpErrorFilter } from '@bus/platform';
import { LedgerModule, loadLedgerConfig, type LedgerConfig } from '@bus/ledger';
import { createTestDatabase, onCleanup, testStack, uniqueName } from '@bus/testing';

/** A ledger app on its own database and group, reading `receiptsTopic`; returns its URL. */
export async function startLedger(
  receiptsTopic: string,
): Promise<{ url: string; config: LedgerConfig }> {
  const config = loadLedgerConfig({
    KAFKA_BROKERS: testStack().kafkaBrokers.join(','),
    LEDGER_DATABASE_URL: await createTestDatabase('bus_ledger'),
    RECEIPTS_TOPIC: receiptsTopic,
    LEDGER_GROUP: uniqueName('bus.ledger'),
  });
  @Module({ imports: [LedgerModule.forRoot(config)] })
  class LedgerTestModule {}
  const app: INestApplication = await NestFactory.create(LedgerTestModule, { logger: false });
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  await app.listen(0, '127.0.0.1');
  onCleanup(() => app.close());
  return { url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), config };
}

export interface DisclosureRow {
  readonly recipient: string;
  readonly recipientName: string;
  readonly purpose: string;
  readonly legalBasis: string[];
  readonly eventType: string;
  readonly fields: string[];
  readonly receivedAt: string;
  readonly policyVersion: number;
}

export async function disclosures(
  url: string,
  personalId: string,
  query = '',
): Promise<{ status: number; body: { disclosures: DisclosureRow[] } & Record<string, unknown> }> {
  const response = await fetch(`${url}/citizens/${personalId}/disclosures${query}`);
  return { status: response.status, body: (await response.json()) as never };
}
