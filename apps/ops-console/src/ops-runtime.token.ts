/** Injection token of the OpsRuntime (a plain object, not a Nest class). */
export const OPS_RUNTIME = Symbol('OPS_RUNTIME');
