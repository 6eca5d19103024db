/**
 * `npm start`: the whole of repayflow on this machine. Starts the emulators, creates the
 * resources, runs the handlers, serves the API on PORT (default 3000) and seeds demo data.
 */
import { buildPortal } from '../../web/build.ts';
import { JavaMissingError } from './emulators.ts';
import { seedDemo } from './seed.ts';
import { listen } from './server.ts';
import { LocalStack } from './stack.ts';

// Node 20 is supported here; the SDK's notice about its future Node 22 floor is noise locally.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got ${process.env.PORT}`);
  process.exit(2);
}

const log = (msg: string) => console.log(`[repayflow] ${msg}`);

let stack: LocalStack | undefined;
try {
  log('starting DynamoDB Local (Java) and the SQS/SNS emulator…');
  stack = await LocalStack.start({ prefix: 'repayflow', logLevel: (process.env.LOG_LEVEL as 'info') ?? 'info' });
  const info = stack.info();
  log(`DynamoDB Local   ${info.endpoints.dynamodb}   table ${info.table}`);
  log(`SQS/SNS emulator ${info.endpoints.sqs}   queues ${Object.values(info.queues).map((q) => q.name).join(', ')}`);
  // The portal is rebuilt at every start (esbuild, well under a second), so it is never stale.
  const portal = await buildPortal().catch((err: unknown) => {
    log(`portal build failed, serving the API only: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  });
  const server = await listen(stack, port);
  log(`API              ${server.url}   (GET /health, /openapi.json, /docs, /v1/…, /local/…)`);
  if (portal) log(`portal           ${server.url}/   (built in ${portal.ms} ms; ${server.url}/?customer=<id> signs in as that customer)`);
  const seeded = await seedDemo(stack.deps);
  for (const s of seeded) log(`demo customer ${s.customerId}: plan ${s.planId}, next due ${s.nextDueDate}`);
  log(`sweep runs every 5 minutes on the real clock; POST /local/run {"until": "…"} to simulate time`);
  log(`admin token: curl -s -XPOST ${server.url}/local/token -d '{"sub":"ops","roles":["admin"]}'`);
  log('ready — Ctrl-C stops everything');

  const shutdown = async (signal: string) => {
    log(`${signal}: stopping…`);
    await server.close().catch(() => undefined);
    await stack?.stop();
    log('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
} catch (err) {
  await stack?.stop().catch(() => undefined);
  if (err instanceof JavaMissingError) console.error(`\n${err.message}\n`);
  else console.error(err);
  process.exit(1);
}
