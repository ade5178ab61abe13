import { runSectorApp, taxSector } from '@bus/sectors';

runSectorApp(taxSector);
