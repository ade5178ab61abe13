import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  createPool,
  databaseUrlFor,
  dropDatabase,
  listenWithManagement,
  migrateAuditTrail,
  type Pool,
} from '@bus/platform';
import { loadPopulationConfig, migratePopulation } from '@bus/population';
import { oidcTestEnv, testStack, uniqueName } from '@bus/testing';
import { configureApp } from '../src/app.setup';

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON (any shape: the specs assert on it), else the text. */
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface PopulationApi {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** `/health` and `/metrics` (no token). */
  readonly management: string;
  /** The API's own database (a relay in the test may publish from it). */
  readonly databaseUrl: string;
  /** A pool on the API's own database, to look at what it wrote. */
  readonly pool: Pool;
  /** One request to the API (a path) or the management port (a full URL). */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiAnswer>;
  close(): Promise<void>;
}

/**
 * The national-population HTTP API on a database of its own (one per spec file: a per-test
 * cleanup would drop it after the first test), relay off, silent logs, verifying tokens
 * against the stack's provider (no clock skew).
 */
export async function startPopulationApi(name: string): Promise<PopulationApi> {
  const databaseUrl = databaseUrlFor(testStack().databaseUrl, uniqueName(name));
  await migratePopulation(databaseUrl);
  await migrateAuditTrail(databaseUrl);
  Object.assign(process.env, oidcTestEnv());
  process.env.NATIONAL_POPULATION_DATABASE_URL = databaseUrl;
  process.env.RELAY_ENABLED = 'false';
  process.env.LOG_LEVEL = 'silent';
  // Imported after LOG_LEVEL is set: the logger module reads it when the module loads.
  const { NationalPopulationModule } = await import('../src/national-population.module.js');
  const app: INestApplication = await NestFactory.create(NationalPopulationModule, {
    bodyParser: false,
    logger: false,
  });
  configureApp(app, loadPopulationConfig());
  const { managementPort } = await listenWithManagement(app, {
    port: 0,
    host: '127.0.0.1',
    managementPort: 0,
    managementHost: '127.0.0.1',
  });
  const base = await app.getUrl();
  const pool = createPool(databaseUrl, 2);
  return {
    base,
    management: `http://127.0.0.1:${managementPort}`,
    databaseUrl,
    pool,
    async call(method, path, body, headers = {}) {
      const response = await fetch(path.startsWith('http') ? path : `${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body:
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text,
      };
    },
    async close() {
      await pool.end();
      await app.close();
      await dropDatabase(databaseUrl);
      delete process.env.NATIONAL_POPULATION_DATABASE_URL;
      delete process.env.RELAY_ENABLED;
    },
  };
}
