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
  withoutExpectedVersion,
  type CommandResult,
  type PopulationServices,
} from '@bus/population';
import { SERVICES } from './population.tokens';

type Hdrs = Record<string, string>;
const body = (schema: Parameters<typeof openApiSchema>[0]) =>
  ApiBody({ schema: openApiSchema(schema) });
/** The path's personal ID wins over any in the body. */
const about = (id: string, raw: unknown) => ({
  ...(withoutExpectedVersion(raw) as object),
  personalId: id,
});

export function reply(res: Response, result: CommandResult): CommandResult {
  res.setHeader('ETag', `"${result.version}"`);
  if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
  return result;
}

@ApiTags('citizens')
@ApiHeader({ name: 'Idempotency-Key', required: false })
@ApiHeader({ name: 'If-Match', required: false, description: 'expected version, e.g. "3"' })
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
  async birth(@Body() raw: unknown, @Headers() h: Hdrs, @Res({ passthrough: true }) res: Response) {
    return reply(
      res,
      await this.services.registerBirth.execute(raw as RegisterBirthCommand, commandOptionsFrom(h)),
    );
  }

  @Post(':id/death')
  @HttpCode(200)
  @body(RegisterDeathCommand)
  async death(
    @Param('id') id: string,
    @Body() raw: unknown,
    @Headers() h: Hdrs,
    @Res({ passthrough: true }) res: Response,
  ) {
    return reply(
      res,
      await this.services.registerDeath.execute(
        about(id, raw) as RegisterDeathCommand,
        commandOptionsFrom(h, raw),
      ),
    );
  }

  @Post(':id/name')
  @HttpCode(200)
  @body(ChangeNameCommand)
  async name(
    @Param('id') id: string,
    @Body() raw: unknown,
    @Headers() h: Hdrs,
    @Res({ passthrough: true }) res: Response,
  ) {
    return reply(
      res,
      await this.services.changeName.execute(
        about(id, raw) as ChangeNameCommand,
        commandOptionsFrom(h, raw),
      ),
    );
  }

  @Put(':id/permanent-residence')
  @body(RegisterPermanentResidenceCommand)
  async permanent(
    @Param('id') id: string,
    @Body() raw: unknown,
    @Headers() h: Hdrs,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = about(id, raw) as RegisterPermanentResidenceCommand;
    return reply(
      res,
      await this.services.registerResidence.permanent(command, commandOptionsFrom(h, raw)),
    );
  }

  @Put(':id/temporary-residence')
  @body(RegisterTemporaryResidenceCommand)
  async temporary(
    @Param('id') id: string,
    @Body() raw: unknown,
    @Headers() h: Hdrs,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = about(id, raw) as RegisterTemporaryResidenceCommand;
    return reply(
      res,
      await this.services.registerResidence.temporary(command, commandOptionsFrom(h, raw)),
    );
  }

  @Post(':id/identity-card')
  @body(IssueIdentityCardCommand)
  async card(
    @Param('id') id: string,
    @Body() raw: unknown,
    @Headers() h: Hdrs,
    @Res({ passthrough: true }) res: Response,
  ) {
    return reply(
      res,
      await this.services.issueIdentityCard.execute(
        about(id, raw) as IssueIdentityCardCommand,
        commandOptionsFrom(h, raw),
      ),
    );
  }
}
