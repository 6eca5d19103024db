import { loadConfig } from '../../shared/config/config.ts';
import { agendaQueue, noticeQueue, notices, plans } from '../_wrappers/adapters.ts';
import { lambdaRuntime } from '../_wrappers/lambda-runtime.ts';
import { createSweepHandler } from './sweep.ts';

const config = loadConfig();
const runtime = lambdaRuntime(config, 'sweep');
export const handler = runtime.observe(
  createSweepHandler({ ...runtime.ports, plans: plans(config), notices: notices(config), agendaQueue: agendaQueue(config), ...noticeQueue(config) }),
);
