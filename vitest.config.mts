import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { resolve } from 'node:path';
import tsconfig from './tsconfig.json' with { type: 'json' };

// Vite resolves the same @bus/* aliases that tsc uses. Exact matches: a plain string alias
// would also rewrite `@bus/platform/pure` as `@bus/platform` + `/pure`.
const alias = Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => ({
  find: new RegExp(`^${name}$`),
  replacement: resolve(import.meta.dirname, target as string),
}));

export default defineConfig({
  // SWC, not esbuild: Nest's dependency injection needs emitDecoratorMetadata.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'apps/**/*.spec.ts',
            'libs/**/*.spec.ts',
            'test/**/*.spec.ts',
            'tools/**/*.spec.ts',
            'bench/**/*.spec.ts',
          ],
          environment: 'node',
          // One module graph per worker, not per file: importing Nest, kafkajs and the libs
          // again for each of 90 files was 62 % of the unit run (39 s against 11 s here). The
          // specs share no state through modules; the kafkajs patch is on disk (patches/), not
          // in a module cache a file could load first.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['apps/**/*.int-spec.ts', 'libs/**/*.int-spec.ts', 'test/**/*.int-spec.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/after-each.setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Every test owns its topics, groups and databases, so files may overlap. The files
          // mostly wait on the broker, PostgreSQL and child processes: three at a time on two
          // cores took 177 s where two took 213 s (same machine, one after the other); with 38
          // files three took 332 s in a clean-clone CI run, so four.
          maxWorkers: 4,
        },
      },
    ],
  },
});
