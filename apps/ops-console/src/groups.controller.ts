import { Controller, Get, Inject, Param } from '@nestjs/common';
import type { GroupView, OpsHealth, OpsRuntime } from '@bus/lag-monitor';
import { Rights } from '@bus/platform';
import { ANY_OPS_ROLE } from './ops-roles';
import { OPS_RUNTIME } from './ops-runtime.token';

@Rights(...ANY_OPS_ROLE)
@Controller('api/groups')
export class GroupsController {
  constructor(@Inject(OPS_RUNTIME) private readonly runtime: OpsRuntime) {}

  @Get()
  async list(): Promise<{
    generatedAt: string;
    sectors: Readonly<Record<string, string>>;
    thresholdDefaults: { warnSeconds: number; errorSeconds: number };
    pollIntervalMs: number;
    health: OpsHealth;
    groups: GroupView[];
  }> {
    return {
      generatedAt: new Date().toISOString(),
      sectors: this.runtime.config.sectors,
      thresholdDefaults: this.runtime.config.thresholds.defaults,
      pollIntervalMs: this.runtime.config.pollIntervalMs,
      health: await this.runtime.health(),
      groups: this.runtime.monitor.groups(),
    };
  }

  @Get(':group')
  one(@Param('group') group: string): GroupView {
    return this.runtime.monitor.group(group);
  }
}
