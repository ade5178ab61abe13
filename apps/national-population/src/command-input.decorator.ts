import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { callerOf } from '@bus/platform';
import { commandOptionsFrom, withoutExpectedVersion, type CommandOptions } from '@bus/population';

export interface CommandInput<C> {
  readonly command: C;
  readonly options: CommandOptions;
}

/**
 * The body as a command, its expected version (If-Match or `expectedVersion`) and
 * Idempotency-Key as options; with `:id` in the path, the path's personal ID wins
 * over any in the body; who signs the change and where they may record comes from the
 * verified token. The use case validates the command.
 */
export const Command = createParamDecorator(
  (_: unknown, context: ExecutionContext): CommandInput<unknown> => {
    const request = context.switchToHttp().getRequest<Request>();
    const raw: unknown = request.body;
    const id = request.params.id;
    const body = withoutExpectedVersion(raw) as object;
    return {
      command: id === undefined ? body : { ...body, personalId: id },
      options: commandOptionsFrom(
        request.headers as Record<string, string>,
        raw,
        callerOf(request),
      ),
    };
  },
);
