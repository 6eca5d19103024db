import { loadConfig } from '../../shared/config/config.ts';
import { buildDeps } from '../_wrappers/dependencies.ts';
import { createReconcileHandler } from './reconcile.ts';

export const handler = createReconcileHandler(buildDeps(loadConfig(), 'reconcile'));
