/** The console's roles at the provider (client roles of `ops-console`). */
export const OpsRole = {
  /** Lag and masked dead letters. */
  Viewer: 'viewer',
  /** Replays dead letters. */
  Operator: 'operator',
  /** Data-protection officer: unmasked dead letters and the audit trail (`DPO_ROLE`). */
  Dpo: 'dpo',
} as const;

export const ANY_OPS_ROLE = [OpsRole.Viewer, OpsRole.Operator, OpsRole.Dpo];
