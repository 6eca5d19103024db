import { loadConfig } from '../../shared/config/config.ts';
import { customers, events, plans } from '../_wrappers/adapters.ts';
import { paymentGateway } from '../_wrappers/gateway.ts';
import { lambdaRuntime } from '../_wrappers/lambda-runtime.ts';
import { createAttemptWorker } from './worker.ts';

const config = loadConfig();
const runtime = lambdaRuntime(config, 'attempt-worker');
const gateway = await paymentGateway(config, runtime.ports.clock);
export const handler = runtime.observe(createAttemptWorker({ ...runtime.ports, plans: plans(config), customers: customers(config), events: events(config), gateway }));
