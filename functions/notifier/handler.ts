import { loadConfig } from '../../shared/config/config.ts';
import { functionDeps } from '../_wrappers/dependencies.ts';
import { createNotifier } from './notifier.ts';

export const handler = createNotifier(await functionDeps(loadConfig(), 'notifier', { gateway: false }));
