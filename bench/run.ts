/**
 * `npm run bench`: the benchmarks of SPEC §5, measured on the embedded stack.
 *
 * 1. sweep-scaling   — the same due work among N and 10·N agenda rows: time and read units.
 * 2. debit-requests  — DynamoDB requests per successful auto-debit (sweep + worker + notifier).
 * 3. throughput      — due → paid → SMS logged per second, against the emulators' own rate.
 * 4. bundles         — handler bundle sizes and cold module-init time.
 *
 * Results go to bench/results/<name>.json and a table on stdout.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { bindPaymentMethod, createCustomer } from '../shared/application/customers.ts';
import { createPlan } from '../shared/application/plans.ts';
import { sweepAgenda } from '../shared/application/sweep-agenda.ts';
import { bundleHandler, bundleSizes } from '../infra/aws/bundle.ts';
import { startDynamoLocal } from '../infra/local/emulators.ts';
import { LocalStack } from '../infra/local/stack.ts';
import { startMeter, type Meter } from './meter.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });

const quick = process.argv.includes('--quick');
const DUE = quick ? 40 : 100;
const FILLER_PLANS = quick ? 60 : 200; // × 12 installments each = agenda rows
const rows: Array<[string, string, string]> = [];

function save(name: string, data: unknown): void {
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify({ name, measuredAt: new Date().toISOString(), node: process.version, ...(data as object) }, null, 2)}\n`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function seedPlans(stack: LocalStack, count: number, purchaseDate: string, token = 'tok_ok'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const c = await createCustomer(stack.deps, { name: `bench ${i}`, phone: `+86137${String(10_000_000 + i).slice(-8)}`, locale: 'zh-CN', timeZone: 'Asia/Shanghai', notifications: { sms: true, email: false } });
    if (!c.ok) throw new Error(c.error.message);
    await bindPaymentMethod(stack.deps, c.value.customerId, { type: 'bank_card', token, display: 'card ****0000' });
    // Plan ids (so agenda shards and item sizes) are the same in every table the bench builds.
    const planId = `plan_bench_${purchaseDate.replaceAll('-', '')}_${String(i).padStart(5, '0')}`;
    const p = await createPlan(stack.deps, { customerId: c.value.customerId, orderId: `B-${purchaseDate}-${i}`, productName: 'bench phone', principal: { amount: 120_000, currency: 'CNY' }, periods: 12, fee: { model: 'flat', rate: '0.06' }, purchaseDate }, { planId });
    if (!p.ok) throw new Error(p.error.message);
    ids.push(p.value.plan.planId);
  }
  return ids;
}

/** 1. The same due work among N and 10·N rows; measured alternately so warm-up favours neither. */
async function sweepScaling(dynamodb: string) {
  const setups: Array<{ factor: number; meter: Meter; stack: LocalStack; times: number[]; readUnits: number[]; queries: number }> = [];
  try {
    for (const factor of [1, 10]) {
      const meter = await startMeter(dynamodb);
      const stack = await LocalStack.start({ dynamodbEndpoint: meter.endpoint, background: false, logLevel: 'silent', prefix: `bench-sweep-${factor}-${Date.now()}` });
      setups.push({ factor, meter, stack, times: [], readUnits: [], queries: 0 });
      // Each checkout happens on its purchase day (intake refuses dates far from today).
      stack.clock.set(new Date('2030-06-15T04:00:00Z'));
      await seedPlans(stack, FILLER_PLANS * factor, '2030-06-15'); // agenda rows, none due
      stack.clock.set(new Date('2026-01-31T04:00:00Z'));
      await seedPlans(stack, DUE, '2026-01-31'); // first reminders due 2026-02-25 10:00 Shanghai
      stack.clock.set(new Date('2026-02-25T02:00:00Z'));
    }
    // The read side of a sweep (every shard's due range), alternating between the two tables.
    for (let round = 0; round < 41; round++) {
      for (const s of setups) {
        s.meter.reset();
        const t0 = performance.now();
        const found = await Promise.all(Array.from({ length: s.stack.deps.settings.agendaShards }, (_, shard) => s.stack.deps.plans.findDue(shard, s.stack.clock.now(), 1000)));
        const ms = performance.now() - t0;
        if (found.flat().length !== DUE) throw new Error(`expected ${DUE} due entries, found ${found.flat().length}`);
        if (round >= 5) s.times.push(ms); // the first rounds warm the JIT and the emulator
        s.readUnits.push(s.meter.capacity.read);
        s.queries = s.meter.requests.get('Query') ?? 0;
      }
    }
    const result: Record<string, unknown> = {};
    for (const s of setups) {
      // One real sweep: reads, claims and queues.
      s.meter.reset();
      const t0 = performance.now();
      const swept = await sweepAgenda(s.stack.deps);
      result[`x${s.factor}`] = {
        agendaRows: (FILLER_PLANS * s.factor + DUE) * 12,
        due: DUE,
        findDueMedianMs: Number(median(s.times).toFixed(2)),
        findDueReadUnits: s.readUnits.at(-1),
        findDueQueries: s.queries,
        sweepMs: Number((performance.now() - t0).toFixed(1)),
        sweepRequests: Object.fromEntries(s.meter.requests),
        claimed: swept.claimed,
      };
    }
    const [a, b] = setups as [(typeof setups)[0], (typeof setups)[0]];
    const timeRatio = median(b.times) / median(a.times);
    const unitsRatio = b.readUnits.at(-1)! / a.readUnits.at(-1)!;
    // The due items are the same (same ids, so same shards and sizes) in both tables.
    const meets = timeRatio <= 1.2 && unitsRatio <= 1;
    save('sweep-scaling', { ...result, timeRatio: Number(timeRatio.toFixed(3)), readUnitsRatio: Number(unitsRatio.toFixed(3)), bar: 'time ratio ≤ 1.2 and the same read units', meetsBar: meets });
    rows.push(['sweep: 10× rows, same due work', `time ×${timeRatio.toFixed(2)}, read units ${a.readUnits.at(-1)} → ${b.readUnits.at(-1)}`, meets ? 'meets bar' : 'MISSES bar']);
  } finally {
    for (const s of setups) {
      await s.stack.stop();
      await s.meter.close();
    }
  }
}

/** 2 + 3. Requests per successful auto-debit, and due → paid → SMS throughput. */
async function debitPipeline(dynamodb: string) {
  const meter = await startMeter(dynamodb);
  const stack = await LocalStack.start({ dynamodbEndpoint: meter.endpoint, background: false, logLevel: 'silent', prefix: `bench-debit-${Date.now()}` });
  try {
    stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    await seedPlans(stack, DUE, '2026-01-31');
    await stack.run(new Date('2026-02-28T00:30:00Z')); // reminders done; debits at 01:00Z
    meter.reset();
    stack.messaging.requests.clear();
    const smsBefore = stack.messaging.outbox.length;
    const t0 = performance.now();
    await stack.run(new Date('2026-02-28T01:00:00Z'));
    const ms = performance.now() - t0;
    const paid = stack.gateway.charges().length;
    const sms = stack.messaging.outbox.length - smsBefore;
    if (paid !== DUE || sms !== DUE) throw new Error(`expected ${DUE} debits and SMS, got ${paid} and ${sms}`);
    const dynamoRequests = meter.total();
    const messagingRequests = [...stack.messaging.requests.values()].reduce((x, y) => x + y, 0);
    const perDebit = dynamoRequests / paid;

    // The emulators' own rate for the same number of requests, at the pipeline's concurrency (10).
    const client = new DynamoDBClient({ endpoint: dynamodb, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const total = dynamoRequests + messagingRequests;
    const r0 = performance.now();
    for (let i = 0; i < total; i += 10) {
      await Promise.all(Array.from({ length: 10 }, () => client.send(new GetItemCommand({ TableName: stack.resources.tableName, Key: { pk: { S: 'bench' }, sk: { S: 'bench' } } }))));
    }
    const rawMs = performance.now() - r0;
    const pipelinePerSec = paid / (ms / 1000);
    const fraction = rawMs / ms;
    save('debit-requests', {
      debits: paid,
      dynamoRequestsPerDebit: Number(perDebit.toFixed(2)),
      byOperation: Object.fromEntries([...meter.requests].map(([k, v]) => [k, Number((v / paid).toFixed(2))])),
      writeUnitsPerDebit: Number((meter.capacity.write / paid).toFixed(2)),
      readUnitsPerDebit: Number((meter.capacity.read / paid).toFixed(2)),
      messagingRequestsPerDebit: Number((messagingRequests / paid).toFixed(2)),
      messagingByAction: Object.fromEntries(stack.messaging.requests),
    });
    save('throughput', {
      debits: paid,
      pipelineMs: Number(ms.toFixed(0)),
      debitsPerSecond: Number(pipelinePerSec.toFixed(1)),
      requests: total,
      emulatorOnlyMs: Number(rawMs.toFixed(0)),
      fractionOfEmulatorThroughput: Number(fraction.toFixed(3)),
      note: 'emulatorOnlyMs replays the same number of requests as plain GetItem calls at concurrency 10',
    });
    rows.push(['DynamoDB requests per auto-debit', `${perDebit.toFixed(2)} (${[...meter.requests].map(([k, v]) => `${k} ${(v / paid).toFixed(2)}`).join(', ')})`, '']);
    rows.push(['due → paid → SMS throughput', `${pipelinePerSec.toFixed(1)} debits/s = ${(fraction * 100).toFixed(0)} % of the emulators' own rate`, '']);
  } finally {
    await stack.stop();
    await meter.close();
  }
}

/**
 * 4. Bundle sizes (as deployed) and cold module init. `bytes` is the start-up code (the entry
 * and the chunks it imports statically); `lazyChunks` what loads only with `import()` (payment
 * providers' SDKs). Cold init is also given as a ratio to a module that imports only the AWS SDK
 * clients the function imports (the runtime's SDK, here node_modules), so it says what repayflow's
 * own code costs on top of the SDK. `powertoolsBytes` is what each Powertools package adds.
 */
async function bundles() {
  const out = join(root, 'bench', '.bundles');
  mkdirSync(out, { recursive: true });
  const result: Record<string, unknown> = {};
  const env = { ...process.env, TABLE_NAME: 't', ATTEMPTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/0/q', NOTICES_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/0/n', BILLING_EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:0:t', AWS_REGION: 'us-east-1', PAYMENT_GATEWAY: 'providers', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const coldInit = (file: string) => {
    const inits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ms = execFileSync(process.execPath, ['--input-type=module', '-e', `const t=performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now()-t));`], { env }).toString();
      inits.push(Number(ms));
    }
    return median(inits);
  };
  for (const name of ['api', 'sweep', 'attempt-worker', 'notifier', 'reconcile']) {
    // Exactly what the CDK app deploys (infra/aws/bundle.ts), for a stage with the real providers.
    const dir = join(out, name);
    rmSync(dir, { recursive: true, force: true });
    const metafile = await bundleHandler({ entry: join(root, 'functions', name, 'handler.ts'), outdir: dir, simulatedGateway: false });
    const sizes = bundleSizes(metafile);
    const initOutputs = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.mjs') && !Object.keys(sizes.lazy).some((lazy) => path.endsWith(lazy)));
    const sdk = [...new Set(initOutputs.flatMap(([, o]) => o.imports.filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path)))].sort();
    const baseline = join(out, `${name}-sdk-only`, 'index.mjs');
    mkdirSync(dirname(baseline), { recursive: true });
    writeFileSync(baseline, `${sdk.map((p, i) => `import * as sdk${i} from '${p}';`).join('\n')}\nglobalThis.sdk = [${sdk.map((_, i) => `sdk${i}`).join(', ')}];\n`);
    const powertools: Record<string, number> = {};
    for (const [, o] of initOutputs) {
      for (const [input, { bytesInOutput }] of Object.entries((o as unknown as { inputs: Record<string, { bytesInOutput: number }> }).inputs ?? {})) {
        const pkg = /node_modules\/@aws-lambda-powertools\/([^/]+)/.exec(input)?.[1];
        if (pkg) powertools[pkg] = (powertools[pkg] ?? 0) + bytesInOutput;
      }
    }
    const init = coldInit(join(dir, 'index.mjs'));
    const sdkInit = coldInit(baseline);
    result[name] = {
      bytes: sizes.initBytes,
      totalBytes: sizes.totalBytes,
      lazyChunks: sizes.lazy,
      sdkClients: sdk,
      powertoolsBytes: powertools,
      coldInitMedianMs: Number(init.toFixed(1)),
      sdkOnlyColdInitMedianMs: Number(sdkInit.toFixed(1)),
      coldInitRatioToSdkOnly: Number((init / sdkInit).toFixed(2)),
    };
    const limit = 400 * 1024;
    rows.push([`bundle ${name}`, `${(sizes.initBytes / 1024).toFixed(0)} KiB at start (+${((sizes.totalBytes - sizes.initBytes) / 1024).toFixed(0)} KiB lazy), cold init ${init.toFixed(0)} ms = ×${(init / sdkInit).toFixed(2)} its SDK clients alone`, sizes.initBytes <= limit ? '≤ 400 KiB' : 'OVER 400 KiB']);
  }
  save('bundles', { ...result, bar: 'start-up code ≤ 400 KiB per function', sdk: 'the Lambda runtime’s AWS SDK v3 (external)' });
}

// `npm run bench -- --bundles` measures the bundles alone (no emulator needed).
const dynamo = process.argv.includes('--bundles') ? undefined : await startDynamoLocal();
try {
  if (dynamo) {
    await sweepScaling(dynamo.endpoint);
    await debitPipeline(dynamo.endpoint);
  }
  await bundles();
} finally {
  await dynamo?.stop();
}

const width = Math.max(...rows.map((r) => r[0].length));
console.log('\nbenchmark'.padEnd(width + 3) + 'result');
for (const [what, value, verdict] of rows) console.log(`${what.padEnd(width)}   ${value}${verdict ? `   [${verdict}]` : ''}`);
console.log(`\nresults in ${resultsDir}`);
