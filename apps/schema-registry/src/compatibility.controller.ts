import { Body, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CheckCompatibilityUseCase, type SchemaRequest } from '@bus/schema-registry';

@Controller('compatibility/subjects/:subject/versions')
export class CompatibilityController {
  constructor(private readonly check: CheckCompatibilityUseCase) {}

  @Post()
  @HttpCode(200)
  againstLevel(
    @Param('subject') subject: string,
    @Body() body?: SchemaRequest,
    @Query('verbose') verbose?: string,
  ) {
    return this.check.execute(subject, undefined, body, verbose === 'true');
  }

  @Post(':version')
  @HttpCode(200)
  againstVersion(
    @Param('subject') subject: string,
    @Param('version') version: string,
    @Body() body?: SchemaRequest,
    @Query('verbose') verbose?: string,
  ) {
    return this.check.execute(subject, version, body, verbose === 'true');
  }
}
