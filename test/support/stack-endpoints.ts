/** Where the integration tests find the real stack. */
export interface StackEndpoints {
  readonly kafkaBrokers: string[];
  /** Server URL; each test creates its own database on it. */
  readonly databaseUrl: string;
  readonly schemaRegistryUrl: string;
  /** How the endpoints were obtained, for the test log. */
  readonly source: 'environment' | 'testcontainers' | 'local-stack';
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackEndpoints;
  }
}
