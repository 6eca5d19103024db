import { loadConfig } from '../../shared/config/config.ts';
import { customers } from '../_wrappers/adapters.ts';
import { lambdaRuntime } from '../_wrappers/lambda-runtime.ts';
import { createEmailFeedbackHandler } from './feedback.ts';

const config = loadConfig();
const runtime = lambdaRuntime(config, 'email-feedback');
export const handler = runtime.observe(createEmailFeedbackHandler({ ...runtime.ports, customers: customers(config) }));
