/**
 * `npm run bench`: the benchmarks of SPEC §5, measured on the embedded stack.
 *
 * 1. sweep-scaling   — the same due work among N and 10·N agenda rows: time and read units.
 * 2. debit-requests  — DynamoDB requests per successful auto-debit (sweep + worker + notifier).
 * 3. throughput      — due → paid → SMS logged per second, against the emulators' own rate.
 * 4. bundles         — handler bundle sizes and cold module-init time.
 * 5. api             — GET /v1/plans/{id} and GET /v1/plans under load (autocannon), each against its one query.
 * `--quick` runs smaller sizes; `--only sweep|pipeline|api|bundles` runs one part (while working on it).
 *
 * Results go to bench/results/<name>.json and a table on stdout.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { bundleHandler, bundleSizes } from '../infra/aws/bundle.ts';
import { startDynamoLocal } from '../infra/local/emulators.ts';
import { listen } from '../infra/local/server.ts';
import { LocalStack, lambdaContext } from '../infra/local/stack.ts';
import { ItemClient } from '../shared/adapters/dynamodb/item-client.ts';
import { bindPaymentMethod, createCustomer } from '../shared/application/customers.ts';
import { createPlan } from '../shared/application/plans.ts';
import { sweepAgenda } from '../shared/application/sweep-agenda.ts';
import { table as tableDefinition } from '../shared/config/table.ts';
import { type Meter, type RecordedRequest, startMeter } from './meter.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });

const quick = process.argv.includes('--quick');
/**
 * Plans whose every installment has an agenda entry due in the sweep-scaling tables: × 12 =
 * 1,008 due entries, so the claims are measured in a real sweep of over 1,000 (quick runs too).
 */
const DUE_PLANS = 84;
const DUE = DUE_PLANS * 12;
const FILLER_PLANS = quick ? 60 : 200; // × 12 installments each = agenda rows
/** Debits in the pipeline run (SPEC §5: at least 2,000), each due in the same sweep. */
const DEBITS = quick ? 200 : 2000;
/** SQS batches each poller handles at once (concurrent Lambda invocations); × 10 records a batch. */
const POLLER_CONCURRENCY = 4;
const PIPELINE_CONCURRENCY = POLLER_CONCURRENCY * 10;
const rows: Array<[string, string, string]> = [];

function save(name: string, data: unknown): void {
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify({ name, measuredAt: new Date().toISOString(), node: process.version, ...(data as object) }, null, 2)}\n`);
}

/** CPU milliseconds a process has used so far (Linux `/proc`; undefined elsewhere). */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // utime and stime, in clock ticks of 10 ms, after the parenthesised command name.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * The client that measures each bound: the SDK client the program's own item client sends with
 * (shared/adapters/dynamodb/item-client.ts), so a bound is never slower because of its client.
 */
const boundClient = (endpoint: string) => ItemClient.create({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }).sdk;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `task(i)` for i < count, `width` at a time. */
async function inParallel(count: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** A second table with the same keys and indexes and a copy of every item: where a replay writes. */
async function copyTable(client: DynamoDBClient, from: string, to: string): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: from }));
  await client.send(
    new CreateTableCommand({
      TableName: to,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: Table!.KeySchema,
      AttributeDefinitions: Table!.AttributeDefinitions,
      ...(Table!.GlobalSecondaryIndexes?.length
        ? { GlobalSecondaryIndexes: Table!.GlobalSecondaryIndexes.map((g) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection })) }
        : {}),
    }),
  );
  let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: from, ExclusiveStartKey: start }));
    const puts: WriteRequest[] = (page.Items ?? []).map((Item) => ({ PutRequest: { Item } }));
    await inParallel(Math.ceil(puts.length / 25), 8, async (i) => {
      let pending = puts.slice(i * 25, i * 25 + 25);
      while (pending.length > 0) pending = (await client.send(new BatchWriteItemCommand({ RequestItems: { [to]: pending } }))).UnprocessedItems?.[to] ?? [];
    });
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * Sends recorded requests again, `width` at a time in their order, to `endpoint` with the table
 * renamed: how long the emulator itself takes for exactly that work. Returns the milliseconds and
 * how many it refused (a condition met in another order than the pipeline's).
 */
async function replayRecorded(endpoint: string, recorded: readonly RecordedRequest[], from: string, to: string, width: number): Promise<{ ms: number; refused: number }> {
  let refused = 0;
  const t0 = performance.now();
  await inParallel(recorded.length, width, async (i) => {
    const { body, headers } = recorded[i]!;
    // A transaction's ClientRequestToken (the SDK sets one) would make the emulator answer from its first run.
    const { ClientRequestToken: _, ...request } = JSON.parse(body.replaceAll(`"${from}"`, `"${to}"`)) as Record<string, unknown>;
    const res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(request) });
    await res.arrayBuffer();
    if (res.status !== 200) refused++;
  });
  return { ms: performance.now() - t0, refused };
}

async function seedPlans(stack: LocalStack, count: number, purchaseDate: string, token = 'tok_ok'): Promise<string[]> {
  const ids: string[] = [];
  await inParallel(count, 8, async (i) => {
    const c = await createCustomer(stack.deps, {
      name: `bench ${i}`,
      phone: `+86137${String(10_000_000 + i).slice(-8)}`,
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      notifications: { sms: true, email: false },
    });
    if (!c.ok) throw new Error(c.error.message);
    await bindPaymentMethod(stack.deps, c.value.customerId, { type: 'bank_card', token, display: 'card ****0000' });
    // Plan ids (so agenda shards and item sizes) are the same in every table the bench builds.
    const planId = `plan_bench_${purchaseDate.replaceAll('-', '')}_${String(i).padStart(5, '0')}`;
    const p = await createPlan(
      stack.deps,
      {
        customerId: c.value.customerId,
        orderId: `B-${purchaseDate}-${i}`,
        productName: 'bench phone',
        principal: { amount: 120_000, currency: 'CNY' },
        periods: 12,
        fee: { model: 'flat', rate: '0.06' },
        purchaseDate,
      },
      { planId },
    );
    if (!p.ok) throw new Error(p.error.message);
    ids.push(p.value.plan.planId);
  });
  return ids.sort();
}

/** 1. The same due work among N and 10·N rows; measured alternately so warm-up favours neither. */
async function sweepScaling(dynamodb: string): Promise<Record<string, unknown>> {
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
      await seedPlans(stack, DUE_PLANS, '2026-01-31');
      // The 12th installment (due 2027-01-31) was reminded 2027-01-28 10:00 Shanghai: every installment's first action is due.
      stack.clock.set(new Date('2027-01-29T02:00:00Z'));
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
    const claimFractions: number[] = [];
    for (const s of setups) {
      // The bound: as many plain UpdateItems as there are due entries, at the sweep's concurrency (one page per shard at a time), same table and proxy.
      const client = boundClient(s.meter.endpoint);
      const u0 = performance.now();
      await inParallel(DUE, s.stack.deps.settings.agendaShards, (i) =>
        client
          .send(
            new UpdateItemCommand({
              TableName: s.stack.resources.tableName,
              Key: { pk: { S: `bench#${i}` }, sk: { S: 'bench' } },
              UpdateExpression: 'SET n = :n',
              ExpressionAttributeValues: { ':n': { N: String(i) } },
            }),
          )
          .then(() => undefined),
      );
      const updateMs = performance.now() - u0;
      client.destroy();
      // One real sweep: reads, claims and queues.
      s.meter.reset();
      const t0 = performance.now();
      const swept = await sweepAgenda(s.stack.deps);
      const sweepMs = performance.now() - t0;
      if (swept.claimed !== DUE) throw new Error(`expected the sweep to claim ${DUE} entries, it claimed ${swept.claimed}`);
      const claimsPerSecond = swept.claimed / (sweepMs / 1000);
      const updatesPerSecond = DUE / (updateMs / 1000);
      claimFractions.push(claimsPerSecond / updatesPerSecond);
      result[`x${s.factor}`] = {
        agendaRows: (FILLER_PLANS * s.factor + DUE_PLANS) * 12,
        due: DUE,
        claimsPerSecond: Number(claimsPerSecond.toFixed(0)),
        plainUpdateItemsPerSecond: Number(updatesPerSecond.toFixed(0)),
        findDueMedianMs: Number(median(s.times).toFixed(2)),
        findDueReadUnits: s.readUnits.at(-1),
        findDueQueries: s.queries,
        sweepMs: Number(sweepMs.toFixed(1)),
        sweepRequests: Object.fromEntries(s.meter.requests),
        claimed: swept.claimed,
      };
    }
    // The worse of the two tables' sweeps.
    const claimFraction = Math.min(...claimFractions);
    rows.push([
      `sweep of ${DUE} due: claims vs plain UpdateItem`,
      `${claimFractions.map((f) => f.toFixed(2)).join(' (×1 rows), ')} (×10 rows)`,
      claimFraction >= 0.5 ? 'meets bar (≥ 0.5)' : 'MISSES bar (≥ 0.5)',
    ]);
    const [a, b] = setups as [(typeof setups)[0], (typeof setups)[0]];
    const timeRatio = median(b.times) / median(a.times);
    const unitsRatio = b.readUnits.at(-1)! / a.readUnits.at(-1)!;
    // The due items are the same (same ids, so same shards and sizes) in both tables.
    const meets = timeRatio <= 1.2 && unitsRatio <= 1;
    rows.push(['sweep: 10× rows, same due work', `time ×${timeRatio.toFixed(2)}, read units ${a.readUnits.at(-1)} → ${b.readUnits.at(-1)}`, meets ? 'meets bar' : 'MISSES bar']);
    return {
      ...result,
      timeRatio: Number(timeRatio.toFixed(3)),
      readUnitsRatio: Number(unitsRatio.toFixed(3)),
      bar: 'time ratio ≤ 1.2 and the same read units',
      meetsBar: meets,
      claimFractionOfBound: Number(claimFraction.toFixed(3)),
      claimFractionNote: `claims per second of the real sweep of ${DUE} due entries against as many plain UpdateItems at the same concurrency, same table and proxy; the worse of the ×1 and ×10 tables`,
    };
  } finally {
    for (const s of setups) {
      await s.stack.stop();
      await s.meter.close();
    }
  }
}

/**
 * 1b + 2 + 3. One real sweep of DEBITS due debits (claims per second against plain UpdateItems
 * per second, same emulator, same proxy, same concurrency, same run), then the whole pipeline
 * due → paid → SMS logged: requests per successful debit, and debits per second against the
 * emulators' own rate for the same number of requests at the pipeline's concurrency.
 */
async function debitPipeline(dynamodb: string, emulatorPid?: number): Promise<Record<string, unknown>> {
  const meter = await startMeter(dynamodb);
  const stack = await LocalStack.start({
    dynamodbEndpoint: meter.endpoint,
    background: false,
    logLevel: 'silent',
    prefix: `bench-debit-${Date.now()}`,
    pollerConcurrency: POLLER_CONCURRENCY,
  });
  const client = boundClient(meter.endpoint);
  const table = stack.resources.tableName;
  /** `count` requests made by `send(i)`, `width` at a time; milliseconds taken. */
  const replay = async (count: number, width: number, send: (i: number) => Promise<unknown>) => {
    const t0 = performance.now();
    await inParallel(count, width, async (i) => void (await send(i)));
    return performance.now() - t0;
  };
  try {
    stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    await seedPlans(stack, DEBITS, '2026-01-31');
    await stack.run(new Date('2026-02-28T00:30:00Z')); // reminders done; debits due at 01:00Z
    stack.clock.set(new Date('2026-02-28T01:00:00Z'));

    // The bound: plain (unconditional) UpdateItems, one per due entry, at the sweep's concurrency (one page per shard at a time).
    const shards = stack.deps.settings.agendaShards;
    const updateMs = await replay(DEBITS, shards, (i) =>
      client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { pk: { S: `bench#${i}` }, sk: { S: 'bench' } },
          UpdateExpression: 'SET n = :n',
          ExpressionAttributeValues: { ':n': { N: String(i) } },
        }),
      ),
    );
    // The same items in a twin table, for the replay of exactly the pipeline's DynamoDB requests below.
    const twin = `${table}-replay`;
    await copyTable(client, table, twin);
    meter.reset();
    stack.messaging.requests.clear();
    const smsBefore = stack.messaging.outbox.length;
    meter.recording = [];

    // The sweep (reads, claims, queues) as the scheduled sweep runs it, then the workers and notifier.
    const cpu0 = { node: ownCpuMs(), emulator: cpuMsOf(emulatorPid) };
    const t0 = performance.now();
    const swept = await stack.sweep({}, lambdaContext('sweep'));
    const sweepMs = performance.now() - t0;
    const sweepRequests = Object.fromEntries(meter.requests);
    await stack.run(new Date('2026-02-28T01:00:00Z'));
    const ms = performance.now() - t0;
    const emulatorCpu = cpuMsOf(emulatorPid);
    // Where the pipeline's time went: each process's CPU per debit (the machine has 2 cores).
    const cpuPerDebit = {
      nodeMs: Number(((ownCpuMs() - cpu0.node) / DEBITS).toFixed(2)),
      ...(emulatorCpu !== undefined && cpu0.emulator !== undefined ? { dynamodbLocalMs: Number(((emulatorCpu - cpu0.emulator) / DEBITS).toFixed(2)) } : {}),
      wallMs: Number((ms / DEBITS).toFixed(2)),
      note: 'CPU time per debit of this process (the functions, the SQS/SNS emulator and the metering proxy) and of DynamoDB Local, over the pipeline run',
    };
    const recorded = meter.recording ?? [];
    meter.recording = undefined;

    const paid = stack.gateway.charges().length;
    const sms = stack.messaging.outbox.length - smsBefore;
    if (swept.claimed !== DEBITS || paid !== DEBITS || sms !== DEBITS) throw new Error(`expected ${DEBITS} claims, debits and SMS, got ${swept.claimed}, ${paid} and ${sms}`);
    const dynamoRequests = meter.total();
    const messagingRequests = [...stack.messaging.requests.values()].reduce((x, y) => x + y, 0);
    const perDebit = dynamoRequests / paid;
    const byOperation = Object.fromEntries([...meter.requests].map(([k, v]) => [k, Number((v / paid).toFixed(3))]));
    const writeUnits = meter.capacity.write / paid;
    const readUnits = meter.capacity.read / paid;

    // The emulators' own rate for the same number of requests, through the same proxy, at the pipeline's concurrency.
    const total = dynamoRequests + messagingRequests;
    const rawMs = await replay(total, PIPELINE_CONCURRENCY, () => client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'bench' }, sk: { S: 'bench' } } })));
    const pipelinePerSec = paid / (ms / 1000);
    const fraction = rawMs / ms;
    // The emulator's own time for the very requests the pipeline made (its transactions, queries
    // and item sizes), replayed on the twin from the same starting items at the same concurrency.
    const replayed = await replayRecorded(meter.endpoint, recorded, table, twin, PIPELINE_CONCURRENCY);
    const sameRequestsFraction = replayed.ms / ms;

    const claimsPerSecond = swept.claimed / (sweepMs / 1000);
    const updatesPerSecond = DEBITS / (updateMs / 1000);
    const claimFraction = claimsPerSecond / updatesPerSecond;
    rows.push([
      `pipeline sweep of ${DEBITS} due: claims vs plain UpdateItem`,
      `${claimsPerSecond.toFixed(0)} claims/s vs ${updatesPerSecond.toFixed(0)} updates/s = ${claimFraction.toFixed(2)}`,
      claimFraction >= 0.5 ? 'meets bar (≥ 0.5)' : 'MISSES bar (≥ 0.5)',
    ]);

    save('debit-requests', {
      debits: paid,
      dynamoRequestsPerDebit: Number(perDebit.toFixed(2)),
      byOperation,
      writeUnitsPerDebit: Number(writeUnits.toFixed(2)),
      readUnitsPerDebit: Number(readUnits.toFixed(2)),
      messagingRequestsPerDebit: Number((messagingRequests / paid).toFixed(2)),
      messagingByAction: Object.fromEntries(stack.messaging.requests),
      bar: '≤ 6 DynamoDB requests per successful debit',
      meetsBar: perDebit <= 6,
      requests: DEBIT_REQUESTS,
    });
    save('throughput', {
      debits: paid,
      pipelineMs: Number(ms.toFixed(0)),
      debitsPerSecond: Number(pipelinePerSec.toFixed(1)),
      requests: total,
      emulatorOnlyMs: Number(rawMs.toFixed(0)),
      fractionOfEmulatorThroughput: Number(fraction.toFixed(3)),
      cpuPerDebit,
      sameRequestsReplay: {
        dynamoRequests: recorded.length,
        ms: Number(replayed.ms.toFixed(0)),
        refusedByConditions: replayed.refused,
        fractionOfReplayRate: Number(sameRequestsFraction.toFixed(3)),
        note: "the pipeline's own DynamoDB requests (recorded at the metering proxy: the sweep's queries and claims, the locks, the commits, the notifier's writes) sent again to a copy of the table as it was before the sweep, at the pipeline's concurrency: the emulator's time for exactly that work; SQS and SNS requests are not replayed, so this rate is the emulator's alone",
      },
      concurrency: PIPELINE_CONCURRENCY,
      note: `emulatorOnlyMs replays the same number of requests as plain GetItem calls through the same metering proxy at the pipeline's concurrency (${POLLER_CONCURRENCY} SQS batches of 10 per queue at once)`,
      bar: "≥ 2,000 debits at ≥ 0.5 of the emulators' own rate",
      meetsBar: paid >= 2000 && fraction >= 0.5,
    });
    rows.push([
      'DynamoDB requests per auto-debit',
      `${perDebit.toFixed(2)} (${Object.entries(byOperation)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
      perDebit <= 6 ? 'meets bar (≤ 6)' : 'MISSES bar (≤ 6)',
    ]);
    rows.push([
      'due → paid → SMS throughput',
      `${paid} debits, ${pipelinePerSec.toFixed(1)} debits/s = ${(fraction * 100).toFixed(0)} % of the emulators' own rate (as GetItems); ${(sameRequestsFraction * 100).toFixed(0)} % of the replay of its own ${recorded.length} DynamoDB requests (${replayed.refused} refused in replay)`,
      paid >= 2000 && fraction >= 0.5 ? 'meets bar' : 'MISSES bar',
    ]);
    return {
      claims: {
        due: DEBITS,
        claimed: swept.claimed,
        concurrency: shards,
        sweepMs: Number(sweepMs.toFixed(1)),
        sweepRequests,
        claimsPerSecond: Number(claimsPerSecond.toFixed(0)),
        plainUpdateItemsPerSecond: Number(updatesPerSecond.toFixed(0)),
        fractionOfBound: Number(claimFraction.toFixed(3)),
        note: 'the pipeline run: one real sweep (agenda reads, transactional claims, SendMessageBatch) against the same number of unconditional UpdateItems, same proxy, one per shard at a time',
      },
      claimBar: 'claimFractionOfBound ≥ 0.5',
    };
  } finally {
    client.destroy();
    await stack.stop();
    await meter.close();
  }
}

/** Why each DynamoDB request of a successful debit is there (see docs/scale.md). */
const DEBIT_REQUESTS = {
  removed: [
    'sweep: one UpdateItem per claim → one TransactWriteItems per page of up to 100 claims, each still conditional on the entry it read',
    'notifier: GetItem of the customer → one BatchGetItem for the customers of a whole SQS batch',
    'notifier: PutItem (claim the notice) + UpdateItem (count the SMS of the day) → one TransactWriteItems doing both, or neither',
  ],
  remaining: {
    'sweep Query (per page of 100 due entries per shard)': 'what is due: the only read of the agenda',
    'sweep TransactWriteItems (per page)': 'the claim: overlapping sweeps never queue the same action twice',
    'worker Query planDetail': 'the plan, all installments and records: the attempt number, the amount, and the totals the commit writes',
    'worker Query customer payment methods': 'which method to charge (priority order, skipping those that declined for good); never cached, an unbound method is never charged',
    'worker UpdateItem (lock)': 'the in-flight lock: a duplicate delivery never charges beside the first',
    'worker TransactWriteItems (commit)': 'record, installment and plan in one transaction, conditional on the claim, the lock and the plan version',
    'notifier BatchGetItem (per SQS batch)': 'the customer at sending time: channels, phone, locale, time zone',
    'notifier TransactWriteItems (claim + count)': 'at most once per dedupe key, and the SMS-per-day counter',
    'notifier PutItem (outcome)': 'the notice log: sent, failed or suppressed, and the send lock dropped',
  },
};

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
  const env = {
    ...process.env,
    TABLE_NAME: 't',
    ATTEMPTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/0/q',
    NOTICES_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/0/n',
    BILLING_EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:0:t',
    AWS_REGION: 'us-east-1',
    PAYMENT_GATEWAY: 'providers',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const coldInit = (file: string) => {
    const inits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ms = execFileSync(
        process.execPath,
        ['--input-type=module', '-e', `const t=performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now()-t));`],
        { env },
      ).toString();
      inits.push(Number(ms));
    }
    return median(inits);
  };
  for (const name of ['api', 'ops-api', 'webhooks', 'sweep', 'attempt-worker', 'notifier', 'reconcile']) {
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
        // The innermost package: commons nested under logger counts as commons.
        const pkg = [...input.matchAll(/node_modules\/@aws-lambda-powertools\/([^/]+)/g)].at(-1)?.[1];
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
    rows.push([
      `bundle ${name}`,
      `${(sizes.initBytes / 1024).toFixed(0)} KiB at start (+${((sizes.totalBytes - sizes.initBytes) / 1024).toFixed(0)} KiB lazy), cold init ${init.toFixed(0)} ms = ×${(init / sdkInit).toFixed(2)} its SDK clients alone`,
      sizes.initBytes <= limit ? '≤ 400 KiB' : 'OVER 400 KiB',
    ]);
  }
  save('bundles', { ...result, bar: 'start-up code ≤ 400 KiB per function', sdk: 'the Lambda runtime’s AWS SDK v3 (external)' });
}

/**
 * 5. The API read path under load, driven by autocannon (`API_CONCURRENCY` connections,
 * keep-alive): `GET /v1/plans/{id}` and a page of `GET /v1/plans` with a customer token, each
 * against the same emulator answering the one Query the route needs (the plan's item
 * collection; a page of the customer's plans on the byCustomer index) at the same concurrency.
 */
const API_CONCURRENCY = 10;
const API_SECONDS = quick ? 3 : 8;
/** Warm-up before measuring: rounds of each path in turn, seconds each. */
const API_WARM_ROUNDS = quick ? 1 : 3;
const API_WARM_SECONDS = quick ? 2 : 4;
/** The customer's plans, all on one page of the list. */
const API_PLANS = 20;

async function closedLoop(seconds: number, width: number, call: () => Promise<void>): Promise<{ perSecond: number; p50Ms: number; count: number }> {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  // Calls in flight at the end finish and count, over the time they took.
  return { perSecond: latencies.length / ((performance.now() - start) / 1000), p50Ms: median(latencies), count: latencies.length };
}

/**
 * autocannon against one URL, in a process of its own (as a load generator is: the server keeps
 * its event loop to itself); every answer must be a 200.
 */
async function load(url: string, token: string, seconds: number): Promise<{ perSecond: number; p50Ms: number; count: number }> {
  const bin = join(root, 'node_modules', '.bin', 'autocannon');
  const out = await new Promise<string>((resolve, reject) =>
    execFile(bin, ['-j', '-c', String(API_CONCURRENCY), '-d', String(seconds), '-H', `authorization=Bearer ${token}`, url], (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
  const result = JSON.parse(out) as {
    requests: { total: number };
    latency: { p50: number };
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
  };
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${url}: ${result.non2xx} answers other than 2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { perSecond: result.requests.total / result.duration, p50Ms: result.latency.p50, count: result.requests.total };
}

async function apiReads(dynamodb: string) {
  const stack = await LocalStack.start({ dynamodbEndpoint: dynamodb, background: false, logLevel: 'silent', prefix: `bench-api-${Date.now()}` });
  const server = await listen(stack, 0);
  const client = boundClient(dynamodb);
  try {
    stack.clock.set(new Date('2026-01-31T04:00:00Z'));
    const [planId] = await seedPlans(stack, 1, '2026-01-31');
    const detail = await stack.deps.plans.get(planId!);
    const { customerId } = detail!.plan;
    for (let n = 1; n < API_PLANS; n++) {
      const more = await createPlan(stack.deps, {
        customerId,
        orderId: `B-API-${n}`,
        productName: 'bench phone',
        principal: { amount: 120_000, currency: 'CNY' },
        periods: 12,
        fee: { model: 'flat', rate: '0.06' },
        purchaseDate: '2026-01-31',
      });
      if (!more.ok) throw new Error(more.error.message);
    }
    const token = await stack.token(customerId);
    const table = stack.resources.tableName;
    const { byCustomer } = tableDefinition.indexes;
    const collectionQuery = async () => {
      await client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `plan#${planId}` } } }));
    };
    // The list's own query: the customer's plans on the byCustomer index, newest first, one page.
    const pageQuery = async () => {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: table,
          IndexName: byCustomer.name,
          KeyConditionExpression: `${byCustomer.partitionKey} = :pk AND begins_with(${byCustomer.sortKey}, :plan)`,
          ExpressionAttributeValues: { ':pk': { S: `customer#${customerId}` }, ':plan': { S: 'plan#' } },
          ScanIndexForward: false,
          Limit: API_PLANS,
        }),
      );
      if (Items.length !== API_PLANS) throw new Error(`expected ${API_PLANS} plans on the page, found ${Items.length}`);
    };
    const measure = async (path: string, bound: () => Promise<void>) => {
      const url = `${server.url}${path}`;
      // Both JITs (Node's and the emulator's JVM) take thousands of requests to reach their steady
      // state: warm both paths in turns first, then measure them one after the other, twice, and
      // keep each one's better run.
      for (let round = 0; round < API_WARM_ROUNDS; round++) {
        await load(url, token, API_WARM_SECONDS);
        await closedLoop(API_WARM_SECONDS, API_CONCURRENCY, bound);
      }
      const routes = [await load(url, token, API_SECONDS)];
      const queries = [await closedLoop(API_SECONDS, API_CONCURRENCY, bound)];
      routes.push(await load(url, token, API_SECONDS));
      queries.push(await closedLoop(API_SECONDS, API_CONCURRENCY, bound));
      const route = routes.reduce((a, b) => (a.perSecond >= b.perSecond ? a : b));
      const query = queries.reduce((a, b) => (a.perSecond >= b.perSecond ? a : b));
      return { route, query, fraction: route.perSecond / query.perSecond };
    };
    const read = await measure(`/v1/plans/${planId}`, collectionQuery);
    const list = await measure(`/v1/plans?limit=${API_PLANS}`, pageQuery);
    save('api', {
      concurrency: API_CONCURRENCY,
      seconds: API_SECONDS,
      loadGenerator: 'autocannon',
      planRead: { requestsPerSecond: Number(read.route.perSecond.toFixed(1)), p50Ms: Number(read.route.p50Ms.toFixed(1)), requests: read.route.count },
      collectionQuery: { queriesPerSecond: Number(read.query.perSecond.toFixed(1)), p50Ms: Number(read.query.p50Ms.toFixed(1)), queries: read.query.count },
      planReadFractionOfBound: Number(read.fraction.toFixed(3)),
      plansList: {
        plansPerPage: API_PLANS,
        requestsPerSecond: Number(list.route.perSecond.toFixed(1)),
        p50Ms: Number(list.route.p50Ms.toFixed(1)),
        requests: list.route.count,
      },
      pageQuery: { queriesPerSecond: Number(list.query.perSecond.toFixed(1)), p50Ms: Number(list.query.p50Ms.toFixed(1)), queries: list.query.count },
      plansListFractionOfBound: Number(list.fraction.toFixed(3)),
      note: `autocannon in its own process (${API_CONCURRENCY} keep-alive connections) on GET /v1/plans/{id} and GET /v1/plans?limit=${API_PLANS} with a customer token, each against the one Query it needs (the plan's item collection; a page of the customer's plans on the byCustomer index), same emulator, same concurrency, same run`,
      bar: 'planReadFractionOfBound ≥ 0.5 and plansListFractionOfBound ≥ 0.5',
      meetsBar: read.fraction >= 0.5 && list.fraction >= 0.5,
    });
    for (const [what, m, unit] of [
      ['GET /v1/plans/{id} vs one collection query', read, 'queries/s'],
      [`GET /v1/plans (${API_PLANS} plans) vs one page query`, list, 'queries/s'],
    ] as const) {
      rows.push([
        what,
        `${m.route.perSecond.toFixed(0)} req/s (p50 ${m.route.p50Ms.toFixed(0)} ms) vs ${m.query.perSecond.toFixed(0)} ${unit} = ${m.fraction.toFixed(2)}`,
        m.fraction >= 0.5 ? 'meets bar (≥ 0.5)' : 'MISSES bar (≥ 0.5)',
      ]);
    }
  } finally {
    client.destroy();
    await server.close();
    await stack.stop();
  }
}

// `--only pipeline` (while working on it) runs the claims and the pipeline alone, and leaves sweep-scaling.json as it is.
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
// `--only bundles` (or `--bundles`) measures the bundles alone (no emulator needed).
const bundlesOnly = process.argv.includes('--bundles') || only === 'bundles';
const dynamo = bundlesOnly ? undefined : await startDynamoLocal();
try {
  if (dynamo && (!only || only === 'api')) await apiReads(dynamo.endpoint);
  // `--only sweep`: the sweep-scaling tables and their claims alone, printed, not saved.
  if (dynamo && only === 'sweep') console.log(JSON.stringify(await sweepScaling(dynamo.endpoint), null, 2));
  if (dynamo && (!only || only === 'pipeline')) {
    const scaling = only ? undefined : await sweepScaling(dynamo.endpoint);
    const claims = await debitPipeline(dynamo.endpoint, dynamo.pid);
    if (scaling) save('sweep-scaling', { ...scaling, ...claims, meetsBar: scaling.meetsBar === true && (scaling.claimFractionOfBound as number) >= 0.5 });
    else console.log(JSON.stringify(claims, null, 2));
  }
  if (!only || bundlesOnly) await bundles();
} finally {
  await dynamo?.stop();
}

const width = Math.max(...rows.map((r) => r[0].length));
console.log(`${'\nbenchmark'.padEnd(width + 3)}result`);
for (const [what, value, verdict] of rows) console.log(`${what.padEnd(width)}   ${value}${verdict ? `   [${verdict}]` : ''}`);
console.log(`\nresults in ${resultsDir}`);
