import { type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerOptions, stdoutDestination } from './logger';
import { maskPersonalIdsInText } from './mask';

interface LoggedRequest {
  id?: unknown;
  method?: string;
  url?: string;
}

/**
 * nestjs-pino with the bus's shared options. Request lines keep only the method and
 * the URL with personal IDs masked (`/citizens/001203012345` is a personal ID in a
 * path); headers and bodies are not logged.
 */
export function busLoggerModule(service: string): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: [
      {
        ...loggerOptions(service),
        serializers: {
          req: (req: LoggedRequest) => ({
            id: req.id,
            method: req.method,
            url: maskPersonalIdsInText(req.url ?? ''),
          }),
          res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        },
        autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      },
      stdoutDestination(),
    ],
  });
}
