import { loadConfig } from '../../shared/config/config.ts';
import { customers, notices, sender } from '../_wrappers/adapters.ts';
import { lambdaRuntime } from '../_wrappers/lambda-runtime.ts';
import { createNotifier } from './notifier.ts';

const config = loadConfig();
const runtime = lambdaRuntime(config, 'notifier');
export const handler = runtime.observe(createNotifier({ ...runtime.ports, customers: customers(config), notices: notices(config), sender: sender(config) }));
