// Child-process entry for the crash test: `tsx libs/sector-sync/test/tally-sector.main.ts`.
import { parseSectorSyncOptions, SectorSyncEngine } from '@bus/sector-sync';
import { tallyOptions } from './tally-sector';

const setup = JSON.parse(process.env.TALLY_SETUP ?? '{}');
const engine = new SectorSyncEngine(parseSectorSyncOptions(tallyOptions(setup)));
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void engine.stop().then(() => process.exit(0));
  });
}
void engine.start();
