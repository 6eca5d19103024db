/**
 * `npm start`: the whole of repayflow on this machine. Starts the emulators, creates the
 * resources, runs the handlers, seeds demo data, then serves the API on PORT (default 3000):
 * once `/health` answers, the demo data is there.
 *
 * SIGINT and SIGTERM (Ctrl-C, `kill`, a process manager stopping `npm start`) stop everything
 * this started: the HTTP server, the pollers, the SQS/SNS emulator and the DynamoDB Local JVM
 * (which emulators.ts also kills when this process exits for any other reason).
 */
import { buildPortal } from '../../web/build.ts';
import { JavaMissingError } from './emulators.ts';
import { DEMO_NOW, seedDemo } from './seed.ts';
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
let server: Awaited<ReturnType<typeof listen>> | undefined;
let stopping = false;

async function shutdown(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping…`);
  // A stop that hangs ends the process anyway (the JVM dies on exit).
  setTimeout(() => process.exit(1), 10_000).unref();
  await server?.close().catch(() => undefined);
  await stack?.stop().catch(() => undefined);
  log('stopped');
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => void shutdown(signal));
}
// npm runs this under `sh -c`, and a SIGTERM sent to npm kills that shell without reaching
// this process: when the parent goes, this process is re-parented, and stops too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown('parent process gone');
}, 250).unref();

try {
  // WECHATPAY_FAKE=1: WeChat Pay against the local fake of its APIv3 (keys made at start, its clock the stack's).
  let wechatClock: { now(): Date } = { now: () => new Date() };
  if (process.env.WECHATPAY_FAKE === '1') {
    const { startWechatPayFake } = await import('../../test/fakes/wechat-pay/wechat-pay-fake.ts');
    const fake = await startWechatPayFake({ clock: { now: () => wechatClock.now() }, returnUrl: `http://localhost:${port}/methods` });
    const k = fake.keys;
    Object.assign(process.env, {
      PAYMENT_GATEWAY: 'providers',
      WECHATPAY_MCHID: k.mchId,
      WECHATPAY_APPID: k.appId,
      WECHATPAY_SERIAL: k.serial,
      WECHATPAY_PRIVATE_KEY: k.privateKey,
      WECHATPAY_APIV3_KEY: k.apiV3Key,
      WECHATPAY_PLATFORM_PUBLIC_KEY: k.platformPublicKey,
      WECHATPAY_PLATFORM_SERIAL: k.platformSerial,
      WECHATPAY_PLAN_ID: String(k.planId),
      WECHATPAY_NOTIFY_URL: `http://127.0.0.1:${port}/v1/webhooks/wechat-pay`,
      WECHATPAY_BASE: k.base,
    });
    log(`WeChat Pay fake   ${fake.url}   (PAYMENT_GATEWAY=providers; "add WeChat Pay" in the portal opens its signing page)`);
  }
  log('starting DynamoDB Local (Java) and the SQS/SNS emulator…');
  stack = await LocalStack.start({ prefix: 'repayflow', logLevel: (process.env.LOG_LEVEL as 'info') ?? 'info' });
  wechatClock = stack.clock;
  const info = stack.info();
  log(`DynamoDB Local   ${info.endpoints.dynamodb}   table ${info.table}`);
  log(
    `SQS/SNS emulator ${info.endpoints.sqs}   queues ${Object.values(info.queues)
      .map((q) => q.name)
      .join(', ')}`,
  );
  // The portal is rebuilt at every start (esbuild, well under a second), so it is never stale.
  const [portal, seeded] = await Promise.all([
    buildPortal().catch((err: unknown) => {
      log(`portal build failed, serving the API only: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }),
    seedDemo(stack),
  ]);
  for (const s of seeded) log(`demo customer ${s.customerId}: plan ${s.planId}, next due ${s.nextDueDate}${s.noMethod ? ` (no payment method: ${s.noMethod})` : ''}`);
  log(`simulated clock at ${DEMO_NOW}; POST /local/run {"until": "…"} moves it (data is in memory: gone when this stops)`);
  if (stopping) await new Promise(() => undefined);
  server = await listen(stack, port);
  log(`API              ${server.url}   (GET /health, /openapi.json, /docs, /v1/…, /local/…)`);
  if (portal) log(`portal           ${server.url}/   (built in ${portal.ms} ms; ${server.url}/?customer=<id> signs in as that customer)`);
  log(`admin token: curl -s -XPOST ${server.url}/local/token -H 'content-type: application/json' -d '{"sub":"ops","roles":["admin"]}'`);
  log('ready — Ctrl-C stops everything');
} catch (err) {
  if (stopping) await new Promise(() => undefined);
  await stack?.stop().catch(() => undefined);
  if (err instanceof JavaMissingError) console.error(`\n${err.message}\n`);
  else console.error(err);
  process.exit(1);
}
