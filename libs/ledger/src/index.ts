// Public API of @bus/ledger: the delivery ledger (Law 91/2025/QH15), see docs/ledger.md.
export * from './domain/disclosure';
export * from './domain/ledger-partitions';
export * from './application/ledger.config';
export * from './infrastructure/ledger.repository';
export * from './infrastructure/ledger-ingest.engine';
export * from './infrastructure/ledger.module';
