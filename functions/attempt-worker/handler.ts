import { loadConfig } from '../../shared/config/config.ts';
import { functionDeps } from '../_wrappers/function-deps.ts';
import { createAttemptWorker } from './worker.ts';

export const handler = createAttemptWorker(await functionDeps(loadConfig(), 'attempt-worker'));
