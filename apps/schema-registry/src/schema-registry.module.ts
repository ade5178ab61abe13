import { type DynamicModule, Module } from '@nestjs/common';
import { busLoggerModule } from '@bus/platform';
import type { SchemaRegistryConfig } from '@bus/schema-registry';
import { CompatibilityController } from './compatibility.controller';
import { ConfigController } from './config.controller';
import { HealthController } from './health.controller';
import { registryProviders } from './registry.providers';
import { SchemasController } from './schemas.controller';
import { SubjectsController } from './subjects.controller';

@Module({})
export class SchemaRegistryModule {
  static register(config: SchemaRegistryConfig): DynamicModule {
    return {
      module: SchemaRegistryModule,
      imports: [busLoggerModule('schema-registry')],
      controllers: [
        HealthController,
        SubjectsController,
        SchemasController,
        ConfigController,
        CompatibilityController,
      ],
      providers: registryProviders(config),
    };
  }
}
