import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { REGISTRY_STORE, type RegistryStore } from '@bus/schema-registry';

@Controller()
export class HealthController {
  constructor(@Inject(REGISTRY_STORE) private readonly store: RegistryStore) {}

  /** 200 when the database answers. */
  @Get('health')
  async health() {
    if (!(await this.store.healthy()))
      throw new ServiceUnavailableException('database unreachable');
    return { status: 'ok' };
  }

  /** Confluent's mode: this registry is always READWRITE (no IMPORT/READONLY modes). */
  @Get('mode')
  mode() {
    return { mode: 'READWRITE' };
  }

  /** Confluent's root answers an empty object; some clients probe it. */
  @Get()
  root() {
    return {};
  }
}
