import { readFileSync } from 'node:fs';
import { keycloakProcess, startKeycloak } from '../keycloak.ts';
import { TokenSource } from '../oidc-tokens.ts';
import { runningPid, stopProcess } from '../processes.ts';
import { DATABASE_URL } from '../stack-settings.ts';

/** Resident memory of the provider's JVM (kc.sh's child) in MiB, or null. */
export async function providerRssMiB(): Promise<number | null> {
  const script = runningPid(keycloakProcess());
  if (script === undefined) return null;
  try {
    const children = readFileSync(`/proc/${script}/task/${script}/children`, 'utf8').trim();
    const java = Number(children.split(/\s+/)[0]);
    const status = readFileSync(`/proc/${java}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/** Stops the provider this checkout runs and times a start to readiness (realm already imported). */
export async function measureProvider(): Promise<{
  startSeconds: number | null;
  rssMiBAfterStart: number | null;
}> {
  if (runningPid(keycloakProcess()) === undefined)
    return { startSeconds: null, rssMiBAfterStart: await providerRssMiB() };
  await stopProcess(keycloakProcess(), 30_000);
  const started = Date.now();
  await startKeycloak(DATABASE_URL);
  const startSeconds = Number(((Date.now() - started) / 1000).toFixed(1));
  return { startSeconds, rssMiBAfterStart: await providerRssMiB() };
}

/** A local test user's access token (password grant of the local bus-cli client). */
export function passwordToken(user: string): Promise<string> {
  return TokenSource.user(user).get();
}
