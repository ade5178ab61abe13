import { runSectorApp, landSector } from '@bus/sectors';

runSectorApp(landSector);
