import { loadConfig } from '../../shared/config/config.ts';
import { buildDeps } from '../_wrappers/dependencies.ts';
import { createNotifier } from './notifier.ts';

export const handler = createNotifier(buildDeps(loadConfig(), 'notifier'));
