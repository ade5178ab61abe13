/** Where the integration tests find the real stack. */
export interface StackEndpoints {
  readonly kafkaBrokers: string[];
  /** Server URL; each test creates its own database on it. */
  readonly databaseUrl: string;
  readonly schemaRegistryUrl: string;
  /** The OpenID Connect provider and its generated secrets (test users, clients). */
  readonly oidc?: { readonly issuer: string; readonly secretsFile: string };
  /**
   * The test harness's Kafka identity (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD_FILE,
   * KAFKA_SSL_CA_FILE: the stack's admin principal), set in every test worker's environment,
   * which is where @bus/platform's createKafka reads it. Absent for a plaintext broker.
   */
  readonly kafkaClientEnv?: Readonly<Record<string, string>>;
  /** The folder of the stack's per-principal password files (`.stack/kafka/security/users`). */
  readonly kafkaPasswordsDir?: string;
  /** How the endpoints were obtained, for the test log. */
  readonly source: 'environment' | 'testcontainers' | 'local-stack';
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackEndpoints;
  }
}
