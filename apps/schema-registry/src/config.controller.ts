import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { CompatibilityConfigUseCase } from '@bus/schema-registry';

/** Confluent answers GET/DELETE with `compatibilityLevel` and PUT with `compatibility`. */
@Controller('config')
export class ConfigController {
  constructor(private readonly config: CompatibilityConfigUseCase) {}

  @Get()
  async global() {
    return { compatibilityLevel: await this.config.globalLevel() };
  }

  @Put()
  async setGlobal(@Body() body?: { compatibility?: unknown }) {
    return { compatibility: await this.config.set(body) };
  }

  @Delete()
  async deleteGlobal() {
    return { compatibilityLevel: await this.config.deleteGlobal() };
  }

  @Get(':subject')
  async subject(@Param('subject') subject: string, @Query('defaultToGlobal') toGlobal?: string) {
    return { compatibilityLevel: await this.config.subjectLevel(subject, toGlobal === 'true') };
  }

  @Put(':subject')
  async setSubject(@Param('subject') subject: string, @Body() body?: { compatibility?: unknown }) {
    return { compatibility: await this.config.set(body, subject) };
  }

  @Delete(':subject')
  async deleteSubject(@Param('subject') subject: string) {
    return { compatibilityLevel: await this.config.deleteSubject(subject) };
  }
}
