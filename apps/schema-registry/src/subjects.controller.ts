import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  DeleteSubjectUseCase,
  LookupSchemaUseCase,
  ReadRegistryUseCase,
  RegisterSchemaUseCase,
  type SchemaRequest,
} from '@bus/schema-registry';

const flag = (value: string | undefined) => value === 'true';

@Controller('subjects')
export class SubjectsController {
  constructor(
    private readonly register: RegisterSchemaUseCase,
    private readonly lookup: LookupSchemaUseCase,
    private readonly read: ReadRegistryUseCase,
    private readonly deletion: DeleteSubjectUseCase,
  ) {}

  @Get()
  subjects(@Query('deleted') deleted?: string, @Query('subjectPrefix') prefix?: string) {
    return this.read.subjects(flag(deleted), prefix);
  }

  @Get(':subject/versions')
  versions(@Param('subject') subject: string, @Query('deleted') deleted?: string) {
    return this.read.versions(subject, flag(deleted));
  }

  @Get(':subject/versions/:version')
  version(
    @Param('subject') subject: string,
    @Param('version') version: string,
    @Query('deleted') deleted?: string,
  ) {
    return this.read.version(subject, version, flag(deleted));
  }

  @Get(':subject/versions/:version/schema')
  async rawSchema(
    @Param('subject') subject: string,
    @Param('version') version: string,
    @Query('deleted') deleted?: string,
  ) {
    return JSON.parse((await this.read.version(subject, version, flag(deleted))).schema) as unknown;
  }

  @Post(':subject/versions')
  @HttpCode(200)
  registerSchema(@Param('subject') subject: string, @Body() body?: SchemaRequest) {
    return this.register.execute(subject, body);
  }

  @Post(':subject')
  @HttpCode(200)
  lookupSchema(
    @Param('subject') subject: string,
    @Body() body?: SchemaRequest,
    @Query('deleted') deleted?: string,
  ) {
    return this.lookup.execute(subject, body, flag(deleted));
  }

  @Delete(':subject')
  deleteSubject(@Param('subject') subject: string, @Query('permanent') permanent?: string) {
    return this.deletion.deleteSubject(subject, flag(permanent));
  }

  @Delete(':subject/versions/:version')
  deleteVersion(
    @Param('subject') subject: string,
    @Param('version') version: string,
    @Query('permanent') permanent?: string,
  ) {
    return this.deletion.deleteVersion(subject, version, flag(permanent));
  }
}
