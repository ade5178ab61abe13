/** Where the integration tests find the real stack. */
export interface StackEndpoints {
  readonly kafkaBrokers: string[];
  /** Server URL; each test creates its own database on it. */
  readonly databaseUrl: string;
  readonly schemaRegistryUrl: string;
  /** The OpenID Connect provider and its generated secrets (test users, clients). */
  readonly oidc?: { readonly issuer: string; readonly secretsFile: string };
  /**
   * The test harness's identity (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD_FILE,
   * KAFKA_SSL_CA_FILE, SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_FILE: the stack's admins), set in
   * every test worker's environment, where createKafka and the registry clients read it.
   */
  readonly clientEnv?: Readonly<Record<string, string>>;
  /** The folder of the stack's per-principal password files (`.stack/kafka/security/users`). */
  readonly kafkaPasswordsDir?: string;
  /** The folder of the registry's per-role `<user>:<password>` files (`.stack/registry/users`). */
  readonly registryUsersDir?: string;
  /** The folder of the services' PostgreSQL role passwords (`.stack/postgres`, file = role). */
  readonly postgresRolesDir?: string;
  /** How the endpoints were obtained, for the test log. */
  readonly source: 'environment' | 'testcontainers' | 'local-stack';
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackEndpoints;
  }
}
