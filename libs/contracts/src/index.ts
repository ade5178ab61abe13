// Public API of @bus/contracts: see docs/contracts.md.
export * from './domain/personal-id/personal-id';
export * from './domain/names/vietnamese-name';
export * from './domain/admin-units/administrative-units';
