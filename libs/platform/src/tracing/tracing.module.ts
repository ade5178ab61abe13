import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { flushTracing } from './tracing';

/**
 * Nest awaits shutdown hooks before it re-raises SIGTERM: the spans of the last second, still
 * in the batch processor, are exported then instead of lost with the process.
 */
@Injectable()
class FlushSpansOnShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return flushTracing();
  }
}

/** Imported by each Nest app beside its logger module. */
@Global()
@Module({ providers: [FlushSpansOnShutdown] })
export class TracingModule {}
