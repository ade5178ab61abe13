import { runSectorApp, bhytSector } from '@bus/sectors';

runSectorApp(bhytSector);
