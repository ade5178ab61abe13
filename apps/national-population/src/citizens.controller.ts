import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBody, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ChangeNameCommand,
  commandOptionsFrom,
  IssueIdentityCardCommand,
  openApiSchema,
  RegisterBirthCommand,
  RegisterDeathCommand,
  RegisterPermanentResidenceCommand,
  RegisterTemporaryResidenceCommand,
  type PopulationServices,
} from '@bus/population';
import { Command, type CommandInput } from './command-input.decorator';
import { CommandResultInterceptor } from './command-result.interceptor';
import { SERVICES } from './population.tokens';

export const body = (schema: Parameters<typeof openApiSchema>[0]) =>
  ApiBody({ schema: openApiSchema(schema) });

@ApiTags('citizens')
@ApiHeader({ name: 'Idempotency-Key', required: false })
@ApiHeader({ name: 'If-Match', required: false, description: 'expected version, e.g. "3"' })
@UseInterceptors(CommandResultInterceptor)
@Controller('citizens')
export class CitizensController {
  constructor(@Inject(SERVICES) private readonly services: PopulationServices) {}

  @Get(':id')
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const citizen = await this.services.queries.getCitizen(id);
    res.setHeader('ETag', `"${citizen.version}"`);
    return citizen;
  }

  @Get(':id/history')
  history(@Param('id') id: string) {
    return this.services.queries.getHistory(id);
  }

  @Post('births')
  @body(RegisterBirthCommand)
  birth(@Body() raw: unknown, @Headers() headers: Record<string, string>) {
    return this.services.registerBirth.execute(
      raw as RegisterBirthCommand,
      commandOptionsFrom(headers),
    );
  }

  @Post(':id/death')
  @HttpCode(200)
  @body(RegisterDeathCommand)
  death(@Command() { command, options }: CommandInput<RegisterDeathCommand>) {
    return this.services.registerDeath.execute(command, options);
  }

  @Post(':id/name')
  @HttpCode(200)
  @body(ChangeNameCommand)
  name(@Command() { command, options }: CommandInput<ChangeNameCommand>) {
    return this.services.changeName.execute(command, options);
  }

  @Put(':id/permanent-residence')
  @body(RegisterPermanentResidenceCommand)
  permanent(@Command() { command, options }: CommandInput<RegisterPermanentResidenceCommand>) {
    return this.services.registerResidence.permanent(command, options);
  }

  @Put(':id/temporary-residence')
  @body(RegisterTemporaryResidenceCommand)
  temporary(@Command() { command, options }: CommandInput<RegisterTemporaryResidenceCommand>) {
    return this.services.registerResidence.temporary(command, options);
  }

  @Post(':id/identity-card')
  @body(IssueIdentityCardCommand)
  card(@Command() { command, options }: CommandInput<IssueIdentityCardCommand>) {
    return this.services.issueIdentityCard.execute(command, options);
  }
}
