/*
 * `@bus/platform/pure`: the part of platform that loads no I/O package (no Nest, pg,
 * kafkajs or pino), for `domain/` files. The dependency-cruiser rule
 * `domain-reaches-no-io` keeps it so.
 */
export * from './errors/bus-error';
export * from './errors/config-error';
export * from './errors/error-codes';
export * from './errors/transient-infrastructure';
export * from './logging/mask';
