import { runSectorApp, tthcSector } from '@bus/sectors';

runSectorApp(tthcSector);
