import { loadConfig } from '../../shared/config/config.ts';
import { buildDeps } from '../_wrappers/dependencies.ts';
import { createAttemptWorker } from './worker.ts';

export const handler = createAttemptWorker(buildDeps(loadConfig(), 'attempt-worker'));
