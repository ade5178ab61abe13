import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import type { CommandResult } from '@bus/population';

/** The citizen's new version as the ETag (for If-Match), and whether an Idempotency-Key replayed it. */
@Injectable()
export class CommandResultInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((result: CommandResult) => {
        response.setHeader('ETag', `"${result.version}"`);
        if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
        return result;
      }),
    );
  }
}
