import { ErrorCode } from '@bus/platform';
import express, { type RequestHandler } from 'express';

/**
 * JSON body parsing with a size limit that answers in the bus's error shape: 413 for a
 * body over the limit, 400 for malformed JSON; nothing reaches a use case.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit, strict: true });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if (error === undefined || error === null) return next();
      const e = error as { status?: number; type?: string; message?: string };
      const tooLarge = e.type === 'entity.too.large';
      res.status(tooLarge ? 413 : (e.status ?? 400)).json({
        error: {
          code: tooLarge ? ErrorCode.BODY_TOO_LARGE : ErrorCode.BODY_INVALID,
          message: tooLarge
            ? `The request body is over the ${limit} limit`
            : `Malformed request body: ${e.message}`,
          retriable: false,
          fields: [
            {
              path: '(body)',
              message: tooLarge ? `over ${limit}` : 'not valid JSON',
              code: tooLarge ? ErrorCode.BODY_TOO_LARGE : ErrorCode.BODY_INVALID,
            },
          ],
        },
      });
    });
}
