import { Body, Controller, HttpCode, Inject, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Audited, Rights } from '@bus/platform';
import {
  ChangeMaritalStatusCommand,
  CorrectRecordCommand,
  LoadInitialRecordsCommand,
  MergeRecordsCommand,
  PopulationRole,
  ReissuePersonalIdCommand,
  type PopulationServices,
} from '@bus/population';
import { body } from './citizens.controller';
import { Command, type CommandInput } from './command-input.decorator';
import { CommandResultInterceptor } from './command-result.interceptor';
import { SERVICES } from './population.tokens';

/**
 * Commands that touch more than one record, or the record's identity: corrections, merges,
 * reissues and initial loads need an administrator; a marriage or divorce, an officer.
 */
@ApiTags('records')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Controller('citizens')
export class RecordsController {
  constructor(@Inject(SERVICES) private readonly services: PopulationServices) {}

  @Post(':id/marital-status')
  @Rights(PopulationRole.Officer, PopulationRole.Admin)
  @Audited('citizens.change-marital-status')
  @HttpCode(200)
  @UseInterceptors(CommandResultInterceptor)
  @body(ChangeMaritalStatusCommand)
  marital(@Command() { command, options }: CommandInput<ChangeMaritalStatusCommand>) {
    return this.services.changeMaritalStatus.execute(command, options);
  }

  @Post(':id/corrections')
  @Rights(PopulationRole.Admin)
  @Audited('records.correct')
  @HttpCode(200)
  @UseInterceptors(CommandResultInterceptor)
  @body(CorrectRecordCommand)
  correct(@Command() { command, options }: CommandInput<CorrectRecordCommand>) {
    return this.services.correctRecord.execute(command, options);
  }

  @Post(':id/reissue')
  @Rights(PopulationRole.Admin)
  @Audited('records.reissue-personal-id')
  @UseInterceptors(CommandResultInterceptor)
  @body(ReissuePersonalIdCommand)
  reissue(@Command() { command, options }: CommandInput<ReissuePersonalIdCommand>) {
    return this.services.reissuePersonalId.execute(command, options);
  }

  @Post('merges')
  @Rights(PopulationRole.Admin)
  @Audited('records.merge')
  @HttpCode(200)
  @UseInterceptors(CommandResultInterceptor)
  @body(MergeRecordsCommand)
  merge(@Command() { command, options }: CommandInput<MergeRecordsCommand>) {
    return this.services.mergeRecords.execute(command, options);
  }

  /** Bulk initial load of existing records (up to 5,000 per request; larger body limit). */
  @Post('initial-load')
  @Rights(PopulationRole.Admin)
  @Audited('records.initial-load')
  @body(LoadInitialRecordsCommand)
  load(@Body() raw: unknown) {
    return this.services.loadInitialRecords.execute(raw as LoadInitialRecordsCommand);
  }
}
