import { loadConfig } from '../../shared/config/config.ts';
import { functionDeps } from '../_wrappers/dependencies.ts';
import { createSweepHandler } from './sweep.ts';

export const handler = createSweepHandler(await functionDeps(loadConfig(), 'sweep', { gateway: false }));
