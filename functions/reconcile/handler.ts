import { loadConfig } from '../../shared/config/config.ts';
import { functionDeps } from '../_wrappers/function-deps.ts';
import { createReconcileHandler } from './reconcile.ts';

export const handler = createReconcileHandler(await functionDeps(loadConfig(), 'reconcile'));
