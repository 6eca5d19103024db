import { loadConfig } from '../../shared/config/config.ts';
import { buildDeps } from '../_wrappers/dependencies.ts';
import { createSweepHandler } from './sweep.ts';

export const handler = createSweepHandler(buildDeps(loadConfig(), 'sweep'));
