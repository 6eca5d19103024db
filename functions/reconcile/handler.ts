import { loadConfig } from '../../shared/config/config.ts';
import { plans, reconciliation } from '../_wrappers/adapters.ts';
import { paymentGateway } from '../_wrappers/gateway.ts';
import { lambdaRuntime } from '../_wrappers/lambda-runtime.ts';
import { createReconcileHandler } from './reconcile.ts';

const config = loadConfig();
const runtime = lambdaRuntime(config, 'reconcile');
const gateway = await paymentGateway(config, runtime.ports.clock);
export const handler = runtime.observe(createReconcileHandler({ ...runtime.ports, plans: plans(config), reconciliation: reconciliation(config), gateway }));
