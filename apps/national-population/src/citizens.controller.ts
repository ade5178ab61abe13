import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Audited, Caller, ErrorCode, ForbiddenError, type Principal, Rights } from '@bus/platform';
import {
  ChangeNameCommand,
  commandOptionsFrom,
  IssueIdentityCardCommand,
  openApiSchema,
  PopulationRole,
  RegisterBirthCommand,
  RegisterDeathCommand,
  RegisterPermanentResidenceCommand,
  RegisterTemporaryResidenceCommand,
  type PopulationServices,
} from '@bus/population';
import { Command, type CommandInput } from './command-input.decorator';
import { CommandResultInterceptor } from './command-result.interceptor';
import { SERVICES } from './population.tokens';

const { Officer, Admin, Citizen, StateReader } = PopulationRole;

export const body = (schema: Parameters<typeof openApiSchema>[0]) =>
  ApiBody({ schema: openApiSchema(schema) });

@ApiTags('citizens')
@ApiBearerAuth()
@ApiHeader({ name: 'Idempotency-Key', required: false })
@ApiHeader({ name: 'If-Match', required: false, description: 'expected version, e.g. "3"' })
@UseInterceptors(CommandResultInterceptor)
@Controller('citizens')
export class CitizensController {
  constructor(@Inject(SERVICES) private readonly services: PopulationServices) {}

  /** A citizen reads their own record only; officers and administrators read any. */
  private static readable(caller: Principal, id: string): void {
    const staff = caller.roles.includes(Officer) || caller.roles.includes(Admin);
    if (!staff && caller.personalId !== id)
      throw new ForbiddenError(
        ErrorCode.NOT_OWN_RECORD,
        'A citizen may read their own record only',
      );
  }

  @Get(':id')
  @Rights(Officer, Admin, Citizen)
  @Audited('citizens.read')
  async get(
    @Param('id') id: string,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    CitizensController.readable(caller, id);
    const citizen = await this.services.queries.getCitizen(id);
    res.setHeader('ETag', `"${citizen.version}"`);
    return citizen;
  }

  /**
   * The current state as one CitizenChanged in the initial-load form: the share router's
   * fill when a sector starts following the citizen (docs/ledger.md).
   */
  @Get(':id/state')
  @Rights(Admin, StateReader)
  @Audited('citizens.read-state')
  async state(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const state = await this.services.queries.getCurrentState(id);
    res.setHeader('ETag', `"${state.version}"`);
    return state;
  }

  @Get(':id/history')
  @Rights(Officer, Admin, Citizen)
  @Audited('citizens.read-history')
  history(@Param('id') id: string, @Caller() caller: Principal) {
    CitizensController.readable(caller, id);
    return this.services.queries.getHistory(id);
  }

  @Post('births')
  @Rights(Officer, Admin)
  @Audited('citizens.register-birth')
  @body(RegisterBirthCommand)
  birth(@Body() raw: unknown, @Req() request: Request, @Caller() caller: Principal) {
    return this.services.registerBirth.execute(
      raw as RegisterBirthCommand,
      commandOptionsFrom(request.headers, undefined, caller),
    );
  }

  @Post(':id/death')
  @Rights(Officer, Admin)
  @Audited('citizens.register-death')
  @HttpCode(200)
  @body(RegisterDeathCommand)
  death(@Command() { command, options }: CommandInput<RegisterDeathCommand>) {
    return this.services.registerDeath.execute(command, options);
  }

  @Post(':id/name')
  @Rights(Officer, Admin)
  @Audited('citizens.change-name')
  @HttpCode(200)
  @body(ChangeNameCommand)
  name(@Command() { command, options }: CommandInput<ChangeNameCommand>) {
    return this.services.changeName.execute(command, options);
  }

  @Put(':id/permanent-residence')
  @Rights(Officer, Admin)
  @Audited('citizens.register-permanent-residence')
  @body(RegisterPermanentResidenceCommand)
  permanent(@Command() { command, options }: CommandInput<RegisterPermanentResidenceCommand>) {
    return this.services.registerResidence.permanent(command, options);
  }

  @Put(':id/temporary-residence')
  @Rights(Officer, Admin)
  @Audited('citizens.register-temporary-residence')
  @body(RegisterTemporaryResidenceCommand)
  temporary(@Command() { command, options }: CommandInput<RegisterTemporaryResidenceCommand>) {
    return this.services.registerResidence.temporary(command, options);
  }

  @Post(':id/identity-card')
  @Rights(Officer, Admin)
  @Audited('citizens.issue-identity-card')
  @body(IssueIdentityCardCommand)
  card(@Command() { command, options }: CommandInput<IssueIdentityCardCommand>) {
    return this.services.issueIdentityCard.execute(command, options);
  }
}
