import { afterEach } from 'vitest';
import { runCleanups } from './cleanup';

afterEach(runCleanups);
