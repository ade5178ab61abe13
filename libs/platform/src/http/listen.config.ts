import { z } from 'zod';
import type { ListenOptions } from '../auth/management-port';
import { env, loadConfig } from '../config/load-config';

const host = z
  .string()
  .regex(/^[A-Za-z0-9.\-:[\]]{1,253}$/, { message: 'must be a host name or IP address' })
  .default('127.0.0.1');

/**
 * Where an HTTP app listens: loopback by default (HOST=0.0.0.0 in a container), the API on
 * PORT, /health and /metrics on MANAGEMENT_PORT (MANAGEMENT_HOST), never on the API port.
 */
export function loadListenConfig(
  service: string,
  defaults: { port: number; managementPort: number },
  source: Record<string, string | undefined> = process.env,
): ListenOptions {
  const c = loadConfig(
    `${service} listeners`,
    z.object({
      PORT: env.port(defaults.port),
      HOST: host,
      MANAGEMENT_PORT: env.port(defaults.managementPort),
      MANAGEMENT_HOST: host,
    }),
    source,
  );
  return {
    port: c.PORT,
    host: c.HOST,
    managementPort: c.MANAGEMENT_PORT,
    managementHost: c.MANAGEMENT_HOST,
  };
}
