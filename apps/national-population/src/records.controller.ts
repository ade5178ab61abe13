import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ChangeMaritalStatusCommand,
  commandOptionsFrom,
  CorrectRecordCommand,
  LoadInitialRecordsCommand,
  MergeRecordsCommand,
  openApiSchema,
  ReissuePersonalIdCommand,
  withoutExpectedVersion,
  type PopulationServices,
} from '@bus/population';
import { reply } from './citizens.controller';
import { SERVICES } from './population.tokens';

type Hdrs = Record<string, string>;
const body = (schema: Parameters<typeof openApiSchema>[0]) =>
  ApiBody({ schema: openApiSchema(schema) });
const about = (id: string, raw: unknown) => ({
  ...(withoutExpectedVersion(raw) as object),
  personalId: id,
});

/** Commands that touch more than one record, or the record's identity. */
@ApiTags('records')
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Controller('citizens')
export class RecordsController {
  constructor(@Inject(SERVICES) private readonly services: PopulationServices) {}

  @Post(':id/marital-status')
  @HttpCode(200)
  @body(ChangeMaritalStatusCommand)
  async marital(
    @Param('id') id: string,
    @Body() raw: unknown,
    @Headers() h: Hdrs,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = about(id, raw) as ChangeMaritalStatusCommand;
    return reply(
      res,
      await this.services.changeMaritalStatus.execute(command, commandOptionsFrom(h, raw)),
    );
  }

  @Post(':id/corrections')
  @HttpCode(200)
  @body(CorrectRecordCommand)
  async correct(
    @Param('id') id: string,
    @Body() raw: unknown,
    @Headers() h: Hdrs,
    @Res({ passthrough: true }) res: Response,
  ) {
    return reply(
      res,
      await this.services.correctRecord.execute(
        about(id, raw) as CorrectRecordCommand,
        commandOptionsFrom(h, raw),
      ),
    );
  }

  @Post(':id/reissue')
  @body(ReissuePersonalIdCommand)
  async reissue(
    @Param('id') id: string,
    @Body() raw: unknown,
    @Headers() h: Hdrs,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = about(id, raw) as ReissuePersonalIdCommand;
    return reply(
      res,
      await this.services.reissuePersonalId.execute(command, commandOptionsFrom(h, raw)),
    );
  }

  @Post('merges')
  @HttpCode(200)
  @body(MergeRecordsCommand)
  async merge(@Body() raw: unknown, @Headers() h: Hdrs, @Res({ passthrough: true }) res: Response) {
    const command = withoutExpectedVersion(raw) as MergeRecordsCommand;
    return reply(
      res,
      await this.services.mergeRecords.execute(command, commandOptionsFrom(h, raw)),
    );
  }

  /** Bulk initial load of existing records (up to 5,000 per request; larger body limit). */
  @Post('initial-load')
  @body(LoadInitialRecordsCommand)
  load(@Body() raw: unknown) {
    return this.services.loadInitialRecords.execute(raw as LoadInitialRecordsCommand);
  }
}
