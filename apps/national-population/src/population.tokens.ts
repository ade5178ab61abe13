/** Nest injection tokens of the national population app. */
export const CONFIG = Symbol('PopulationConfig');
export const POOL = Symbol('Pool');
export const SERVICES = Symbol('PopulationServices');
export const METRICS = Symbol('RelayMetrics');
export const REGISTRY = Symbol('MetricsRegistry');
export const RELAY = Symbol('OutboxRelay');
