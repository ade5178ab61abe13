import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createPool, databaseUrlFor, dropDatabase, type Pool } from '@bus/platform';
import { loadPopulationConfig, migratePopulation } from '@bus/population';
import { testStack, uniqueName } from '@bus/testing';
import { configureApp } from '../src/app.setup';

export interface PopulationApi {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** A pool on the API's own database, to look at what it wrote. */
  readonly pool: Pool;
  close(): Promise<void>;
}

/**
 * The national-population HTTP API on a database of its own (one per spec file: a per-test
 * cleanup would drop it after the first test), relay off, silent logs.
 */
export async function startPopulationApi(name: string): Promise<PopulationApi> {
  const databaseUrl = databaseUrlFor(testStack().databaseUrl, uniqueName(name));
  await migratePopulation(databaseUrl);
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
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const pool = createPool(databaseUrl, 2);
  return {
    base,
    pool,
    async close() {
      await pool.end();
      await app.close();
      await dropDatabase(databaseUrl);
      delete process.env.NATIONAL_POPULATION_DATABASE_URL;
      delete process.env.RELAY_ENABLED;
    },
  };
}
