// Public API of @bus/contracts: see docs/contracts.md.

// Vietnamese identity vocabulary (pure)
export * from './domain/personal-id/personal-id';
export * from './domain/names/vietnamese-name';
export * from './domain/admin-units/administrative-units';
export * from './domain/admin-units/legacy-communes';

// Event contract
export * from './domain/topics';
export * from './domain/dead-letter/dead-letter';
export * from './domain/sync-progress/sync-progress';
export * from './domain/events/citizen-changed.event';
export * from './domain/events/citizen-changed.samples';
export * from './domain/wire-format/wire-format';
export * from './infrastructure/schemas/schema-files';

// Serdes over the Confluent wire format
export * from './infrastructure/registry/registry-http.client';
export * from './infrastructure/serdes/avro-serdes';
export * from './infrastructure/serdes/citizen-changed.serdes';

// Sharing policy and sector projections
export * from './domain/sharing/sharing-policy';
export * from './domain/sharing/projection';
export * from './infrastructure/sharing/shipped-policy';

// Contract checks (also run by `npm run contracts:check`)
export * from './domain/contract-checks/avro-compatibility';
export * from './domain/contract-checks/contract-report';
export * from './domain/contract-checks/contract-checks';
export * from './infrastructure/sharing/contract-set.loader';
export * from './infrastructure/registry/registry-checks';
