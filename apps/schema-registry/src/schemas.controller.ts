import { Controller, Get, Param, Query } from '@nestjs/common';
import { ReadRegistryUseCase } from '@bus/schema-registry';

@Controller('schemas')
export class SchemasController {
  constructor(private readonly read: ReadRegistryUseCase) {}

  @Get('types')
  types() {
    return this.read.schemaTypes();
  }

  @Get('ids/:id')
  async byId(@Param('id') id: string) {
    // Confluent omits schemaType for AVRO, the default type.
    return { schema: (await this.read.schemaById(id)).text };
  }

  @Get('ids/:id/schema')
  async rawById(@Param('id') id: string) {
    return JSON.parse((await this.read.schemaById(id)).text) as unknown;
  }

  @Get('ids/:id/subjects')
  subjects(@Param('id') id: string, @Query('deleted') deleted?: string) {
    return this.read.subjectsOfSchema(id, deleted === 'true');
  }

  @Get('ids/:id/versions')
  versions(@Param('id') id: string, @Query('deleted') deleted?: string) {
    return this.read.versionsOfSchema(id, deleted === 'true');
  }
}
