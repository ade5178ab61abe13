/*
 * `@bus/contracts/pure`: the contract vocabulary without the registry client and serdes (which
 * load an HTTP client and the platform's I/O), for `domain/` files of other libs. The
 * dependency-cruiser pass `domain-reaches-no-io` keeps it so.
 */

// Vietnamese identity vocabulary
export * from './domain/personal-id/personal-id';
export * from './domain/names/vietnamese-name';
export * from './domain/admin-units/administrative-units';
export * from './domain/admin-units/legacy-communes';
export * from './domain/civil-time/civil-time';

// Event contract
export * from './domain/topics';
export * from './domain/dead-letter/dead-letter';
export * from './domain/sync-progress/sync-progress';
export * from './domain/receipts/delivery-receipt';
export * from './domain/follows/follow-change';
export * from './domain/events/citizen-changed.event';
export * from './domain/events/citizen-changed.samples';
export * from './domain/wire-format/wire-format';

// Who may do what on Kafka (ACLs as code)
export * from './domain/access/kafka-acls';

// Sharing policy and sector projections
export * from './domain/sharing/sharing-policy';
export * from './domain/sharing/projection';
