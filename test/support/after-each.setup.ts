import { afterEach, inject } from 'vitest';
import { runCleanups } from './cleanup';

// Every Kafka client a test makes (its own, and the engines it runs in process) connects as
// the harness's principal, unless the test names another one.
Object.assign(process.env, inject('stack').clientEnv ?? {});

afterEach(runCleanups);
