export * from './domain/share-routing';
export * from './domain/personal-id-set';
export * from './application/share-router.config';
export * from './infrastructure/share-router.engine';
export * from './infrastructure/share-router.module';
export * from './domain/follow-lists';
export * from './application/citizen-state.port';
export * from './infrastructure/national-state.source';
