import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './stack-error.ts';
import { healthy } from './node-apps.ts';
import { CACHE_DIR, ROOT, STATE_DIR } from './paths.ts';
import { runningPid, startDetached, tail, waitUntil, type ManagedProcess } from './processes.ts';

/**
 * Zipkin, the local trace viewer: the server's exec jar from Maven Central (pinned in
 * stack/zipkin/pom.xml), in-memory storage, on 9411. Started by `stack:up` only when
 * tracing is asked for (`--with-tracing` or BUS_WITH_TRACING=1).
 */
const POM = join(ROOT, 'stack/zipkin/pom.xml');
export const ZIPKIN_URL = 'http://127.0.0.1:9411';
/** Where the bus's processes send spans (OTEL_EXPORTER_ZIPKIN_ENDPOINT). */
export const ZIPKIN_SPANS_URL = `${ZIPKIN_URL}/api/v2/spans`;

export const tracingRequested = (argv = process.argv): boolean =>
  argv.includes('--with-tracing') || process.env.BUS_WITH_TRACING === '1';

function zipkinVersion(): string {
  const match = /<zipkin\.version>([^<]+)<\/zipkin\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!match?.[1]) throw new StackError(`no <zipkin.version> in ${POM}`);
  return match[1];
}

const jar = () => join(CACHE_DIR, `zipkin-server-${zipkinVersion()}-exec.jar`);

export const zipkinProcess = (): ManagedProcess => ({
  name: 'zipkin',
  pidFile: join(STATE_DIR, 'zipkin', 'zipkin.pid'),
  logFile: join(STATE_DIR, 'zipkin', 'zipkin.log'),
  marker: jar(),
});

export const zipkinAnswers = (): Promise<boolean> => healthy(`${ZIPKIN_URL}/health`);

/** Starts Zipkin unless it answers already; returns how it was found. */
export async function startZipkin(): Promise<'started' | 'running'> {
  if (await zipkinAnswers()) return 'running';
  const proc = zipkinProcess();
  if (runningPid(proc) === undefined) {
    if (!existsSync(jar())) {
      const fetched = spawnSync(
        'mvn',
        ['-q', '-B', '-f', POM, 'dependency:copy', `-Dzipkin.outputDirectory=${CACHE_DIR}`],
        { stdio: 'inherit' },
      );
      if (fetched.status !== 0 || !existsSync(jar()))
        throw new StackError(`could not fetch the Zipkin server with Maven (${POM})`);
    }
    startDetached(proc, 'java', ['-Xmx256m', '-jar', jar()], {
      cwd: ROOT,
      env: { ...process.env, STORAGE_TYPE: 'mem', QUERY_PORT: '9411' },
    });
  }
  const ready = await waitUntil(zipkinAnswers, 120_000, () => runningPid(proc) === undefined);
  if (!ready) throw new StackError(`zipkin did not answer:\n${tail(proc.logFile)}`);
  return 'started';
}
