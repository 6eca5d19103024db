import { loadConfig } from '../../shared/config/config.ts';
import { emails, idempotency } from '../_wrappers/adapters.ts';
import { lambdaRuntime } from '../_wrappers/lambda-runtime.ts';
import { createMailer } from './mailer.ts';

const config = loadConfig();
const runtime = lambdaRuntime(config, 'mailer');
export const handler = runtime.observe(createMailer({ ...runtime.ports, emails: emails(config), idempotency: idempotency(config) }));
