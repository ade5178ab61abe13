export * from './domain/sync-envelope';
export * from './domain/freshness';
export * from './domain/sync-progress';
export * from './application/sector-sync.options';
export * from './infrastructure/sector-sync.engine';
export * from './infrastructure/sector-sync.module';
export * from './infrastructure/sync-metrics';
export * from './infrastructure/sync-http.controller';
