export * from './domain/share-routing';
export * from './domain/personal-id-set';
export * from './application/share-router.config';
export * from './infrastructure/share-router.engine';
export * from './infrastructure/share-router.module';
