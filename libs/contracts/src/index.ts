// Public API of @bus/contracts: see docs/contracts.md. The I/O-free part is ./pure.ts.
export * from './pure';

// Schema files, and serdes over the Confluent wire format
export * from './infrastructure/schemas/schema-files';
export * from './infrastructure/registry/registry-http.client';
export * from './infrastructure/registry/registry-auth';
export * from './infrastructure/serdes/avro-serdes';
export * from './infrastructure/serdes/citizen-changed.serdes';

// The shipped sharing policy
export * from './infrastructure/sharing/shipped-policy';

// Contract checks (also run by `npm run contracts:check`)
export * from './domain/contract-checks/avro-compatibility';
export * from './domain/contract-checks/contract-report';
export * from './domain/contract-checks/contract-checks';
export * from './infrastructure/sharing/contract-set.loader';
export * from './infrastructure/registry/registry-checks';
export * from './infrastructure/access/kafka-acls.admin';
