/**
 * Prints where a process spent its CPU, from `node --cpu-prof` output:
 *   node dist/bench/profile-summary.js <file.cpuprofile | dir> [top=25]
 * (`BENCH_CPU_PROF=<dir> npm run bench` leaves one profile per bus process in <dir>.)
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readProfile, summariseProfile } from './lib/cpu-profile';

const [target = '.', limit = '25'] = process.argv.slice(2);
const files = statSync(target).isDirectory()
  ? readdirSync(target)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(target, f))
  : [target];
for (const file of files) {
  const summary = summariseProfile(readProfile(file), Number(limit));
  console.log(`\n== ${file}: busy ${summary.busyMs} ms of ${summary.wallMs} ms wall`);
  console.log('  by owner (self time):');
  for (const row of summary.byOwner.slice(0, 12)) {
    console.log(
      `    ${String(row.percent).padStart(5)}%  ${String(row.selfMs).padStart(7)} ms  ${row.name}`,
    );
  }
  console.log('  top functions (self time):');
  for (const row of summary.topFunctions) {
    console.log(
      `    ${String(row.percent).padStart(5)}%  ${String(row.selfMs).padStart(7)} ms  ${row.name}`,
    );
  }
}
