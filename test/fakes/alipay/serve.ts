/**
 * Runs the Alipay fake on its own, for `npm start` with real providers:
 *
 *   npx tsx test/fakes/alipay/serve.ts --env /tmp/alipay.env &
 *   set -a; . /tmp/alipay.env; set +a
 *   PAYMENT_GATEWAY=providers npm start
 *
 * It writes the ALIPAY_* variables (fresh keys, its gateway URL, the notify URL and portal
 * origin of the repayflow server at --repayflow, default http://127.0.0.1:3000) to --env, and
 * keeps its clock on that server's simulated clock (read from /local/info), so the daily bills
 * follow the days the local stack lives through. Its signing page is the stand-in for Alipay's:
 * the portal's "add Alipay" leads there and back.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startAlipayFake } from './alipay-fake.ts';

const { values } = parseArgs({ options: { env: { type: 'string' }, port: { type: 'string', default: '0' }, repayflow: { type: 'string', default: 'http://127.0.0.1:3000' } } });
const repayflow = values.repayflow!.replace(/\/$/, '');

/** The local stack's clock, followed by polling; the wall clock until the server answers. */
let offsetMs = 0;
async function followClock(): Promise<void> {
  try {
    const info = (await (await fetch(`${repayflow}/local/info`)).json()) as { clock?: { now?: string } };
    if (info.clock?.now) offsetMs = Date.parse(info.clock.now) - Date.now();
  } catch {
    // not up yet
  }
}
setInterval(() => void followClock(), 1000).unref();

const fake = await startAlipayFake({ port: Number(values.port), clock: { now: () => new Date(Date.now() + offsetMs) } });
const env: Record<string, string> = {
  ALIPAY_APP_ID: fake.appId,
  ALIPAY_PRIVATE_KEY: fake.appPrivateKey,
  ALIPAY_PUBLIC_KEY: fake.alipayPublicKey,
  ALIPAY_GATEWAY: fake.gateway,
  ALIPAY_NOTIFY_URL: `${repayflow}/v1/webhooks/alipay`,
  ALIPAY_RETURN_ORIGIN: repayflow,
};
const text = Object.entries(env)
  .map(([k, v]) => `${k}='${v.replace(/'/g, "'\\''")}'`)
  .join('\n');
if (values.env) writeFileSync(values.env, `${text}\n`, { mode: 0o600 });
else console.log(text);
console.error(`[alipay fake] gateway ${fake.gateway}${values.env ? `; variables in ${values.env}` : ''}; Ctrl-C stops it`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void fake.stop().then(() => process.exit(0));
  });
}
