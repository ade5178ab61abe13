export * from './cleanup';
export * from './stack-endpoints';
export * from './test-stack';
export * from './unique';
export * from './wait-for';
export * from './database-outage';
export * from './oidc';
export * from './log-capture';
