import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { createPool, type Pool } from '@bus/platform';
import {
  CheckCompatibilityUseCase,
  CompatibilityConfigUseCase,
  DeleteSubjectUseCase,
  LookupSchemaUseCase,
  PostgresRegistryStore,
  ReadRegistryUseCase,
  REGISTRY_STORE,
  RegisterSchemaUseCase,
  type RegistryStore,
  type SchemaRegistryConfig,
} from '@bus/schema-registry';

export const REGISTRY_CONFIG = Symbol('SchemaRegistryConfig');
export const REGISTRY_POOL = Symbol('RegistryPool');

@Injectable()
export class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(REGISTRY_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

const useCase = <T>(token: new (store: RegistryStore) => T): Provider => ({
  provide: token,
  inject: [REGISTRY_STORE],
  useFactory: (store: RegistryStore) => new token(store),
});

export function registryProviders(config: SchemaRegistryConfig): Provider[] {
  return [
    { provide: REGISTRY_CONFIG, useValue: config },
    { provide: REGISTRY_POOL, useFactory: () => createPool(config.databaseUrl, config.poolSize) },
    {
      provide: REGISTRY_STORE,
      inject: [REGISTRY_POOL],
      useFactory: (pool: Pool) => new PostgresRegistryStore(pool),
    },
    PoolCloser,
    useCase(RegisterSchemaUseCase),
    useCase(LookupSchemaUseCase),
    useCase(ReadRegistryUseCase),
    useCase(CompatibilityConfigUseCase),
    useCase(CheckCompatibilityUseCase),
    useCase(DeleteSubjectUseCase),
  ];
}
