/**
 * The embedded local stack: emulators, resources from `infra/resources.ts`, the same Lambda
 * handlers as on AWS (sweep on a clock, SQS pollers with partial-batch semantics), the HTTP
 * API and the local-only routes. Used by `npm start` and by the tests.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SignJWT } from 'jose';
import { buildDeps } from '../../functions/_wrappers/dependencies.ts';
import { paymentGateway } from '../../functions/_wrappers/gateway.ts';
import { createApi } from '../../functions/api/app.ts';
import { localJwtAuthenticator } from '../../functions/api/auth.ts';
import { SIGNATURE_HEADER, signWebhook, webhookOptions } from '../../functions/api/webhooks.ts';
import { createAttemptWorker } from '../../functions/attempt-worker/worker.ts';
import { createEmailFeedbackHandler } from '../../functions/email-feedback/feedback.ts';
import { createMailer } from '../../functions/mailer/mailer.ts';
import { createNotifier } from '../../functions/notifier/notifier.ts';
import { createReconcileHandler } from '../../functions/reconcile/reconcile.ts';
import { createSweepHandler } from '../../functions/sweep/sweep.ts';
import { ProviderRouter } from '../../shared/adapters/gateway/provider-router.ts';
import { SimulatedGateway } from '../../shared/adapters/gateway/simulated-gateway.ts';
import type { LogLevel } from '../../shared/adapters/logger.ts';
import { redriveDeadLetters } from '../../shared/adapters/messaging/redrive.ts';
import { bindingHintHandler } from '../../shared/application/bind-payment-method.ts';
import type { Deps } from '../../shared/application/deps.ts';
import { walletResultHandler } from '../../shared/application/settle-wallet-payment.ts';
import { loadConfig } from '../../shared/config/config.ts';
import { ENV } from '../../shared/config/env.ts';
import { PROVIDER_KEY_NAMES } from '../../shared/config/payment-providers.ts';
import type { Clock } from '../../shared/ports/clock.port.ts';
import type { ProviderGateway } from '../../shared/ports/payment-gateway.port.ts';
import { type QueueKey, queues, schedules } from '../resources.ts';
import { Chaos } from './chaos.ts';
import { LocalClock } from './clock.ts';
import { type RunningMessaging, startDynamoLocal, startMessaging } from './emulators.ts';
import { LocalEmailSender } from './local-email-sender.ts';
import { SqsPoller } from './poller.ts';
import { type Provisioned, provision } from './provision.ts';
import { nextDailyRun, type ReconciliationRun } from './reconciliation-ticks.ts';

export const LOCAL_ISSUER = 'repayflow-local';
export const LOCAL_AUDIENCE = 'repayflow';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const REGION = 'us-east-1';

export interface LocalStackOptions {
  /** Table and queue name prefix, so several stacks can share emulators. */
  prefix?: string;
  /** An already running DynamoDB Local (tests share one); started here otherwise. */
  dynamodbEndpoint?: string;
  logLevel?: LogLevel;
  /** Shorter visibility timeouts so retries and redrive happen within a test. */
  visibilityTimeoutSeconds?: number;
  /** Run the background pollers and the real-time scheduler (false: only `run` moves work). */
  background?: boolean;
  /** Real providers' adapters (a Stripe adapter pointed at a fake, say), given the stack's clock; the simulated provider otherwise. */
  providers?: (clock: Clock) => ProviderGateway[];
  /**
   * `simulated` (default): the stack's own simulated gateway, with chaos. `providers`: the real
   * providers whose keys are in the environment (e.g. Stripe test keys, or STRIPE_API_BASE
   * pointing at a fake). Defaults to PAYMENT_GATEWAY from the environment.
   */
  gateway?: 'simulated' | 'providers';
  /** SQS batches each poller handles at once, like concurrent Lambda invocations (default 1). */
  pollerConcurrency?: number;
}

export interface RunResult {
  sweeps: number;
  claimed: number;
  attemptsProcessed: number;
  noticesProcessed: number;
  /** Days reconciled on the reconciliation schedule during the run, and the differences found. */
  reconciled: number;
  differences: number;
  now: string;
  /** The run stopped early because its caller went away (`signal`); `now` is where it stopped. */
  cancelled?: boolean;
}

/** A run in progress: where it started, where it goes, and what it did so far. */
export interface RunProgress extends RunResult {
  from: string;
  until: string;
  startedAt: string;
}

export interface RunOptions {
  /** Aborting it stops the run after the tick in hand (the client went away). */
  signal?: AbortSignal;
  /** Called after every sweep tick with what the run did so far. */
  onProgress?: (progress: RunProgress) => void;
}

export class LocalStack {
  readonly clock = new LocalClock();
  readonly gateway = new SimulatedGateway(this.clock);
  readonly chaos = new Chaos();
  readonly jwtSecret = randomBytes(32).toString('hex');
  /** HMAC key of the per-phone SMS day counter. */
  readonly smsCounterKey = randomBytes(32).toString('hex');
  /** Signs `X-Repayflow-Signature` for local webhook calls (see functions/api/webhooks.ts `signWebhook`). */
  readonly webhookSecret = randomBytes(32).toString('hex');
  deps!: Deps;
  resources!: Provisioned;
  messaging!: RunningMessaging;
  endpoints!: { dynamodb: string; sqs: string; sns: string };
  api!: ReturnType<typeof createApi>;
  sweep!: ReturnType<typeof createSweepHandler>;
  reconcile!: ReturnType<typeof createReconcileHandler>;
  /** Every scheduled reconciliation this stack ran on the simulated clock, in order. */
  readonly reconciliations: ReconciliationRun[] = [];
  #reconciledThrough: Date | undefined;
  pollers!: { attempts: SqsPoller; notices: SqsPoller; emails: SqsPoller; emailFeedback: SqsPoller };
  #stopDynamo: (() => Promise<void>) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #sqs!: SQSClient;
  #walletTimer: NodeJS.Timeout | undefined;
  #runLock: Promise<unknown> = Promise.resolve();

  private constructor(private readonly options: LocalStackOptions) {}

  static async start(options: LocalStackOptions = {}): Promise<LocalStack> {
    const stack = new LocalStack(options);
    await stack.#start();
    return stack;
  }

  async #start(): Promise<void> {
    const prefix = this.options.prefix ?? `repayflow-${randomBytes(3).toString('hex')}`;
    let dynamodb = this.options.dynamodbEndpoint;
    if (!dynamodb) {
      const running = await startDynamoLocal();
      dynamodb = running.endpoint;
      this.#stopDynamo = running.stop;
    }
    this.messaging = await startMessaging(() => this.clock.now());
    this.endpoints = { dynamodb, sqs: this.messaging.endpoint, sns: this.messaging.endpoint };
    const clientConfig = { region: REGION, credentials: CREDENTIALS };
    this.resources = await provision(
      {
        dynamodb: new DynamoDBClient({ ...clientConfig, endpoint: dynamodb }),
        sqs: new SQSClient({ ...clientConfig, endpoint: this.endpoints.sqs, useQueueUrlAsEndpoint: false }),
        sns: new SNSClient({ ...clientConfig, endpoint: this.endpoints.sns }),
      },
      prefix,
      this.options.visibilityTimeoutSeconds === undefined ? {} : { visibilityTimeoutSeconds: this.options.visibilityTimeoutSeconds },
    );

    // The same environment a deployed function gets, so the same config parser reads it.
    Object.assign(process.env, { AWS_REGION: REGION, AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey });
    const config = loadConfig({
      [ENV.tableName]: this.resources.tableName,
      [ENV.attemptsQueueUrl]: this.resources.queues.repaymentAttempts.url,
      [ENV.noticesQueueUrl]: this.resources.queues.notices.url,
      [ENV.attemptsDlqUrl]: this.resources.queues.repaymentAttempts.dlqUrl,
      [ENV.noticesDlqUrl]: this.resources.queues.notices.dlqUrl,
      [ENV.emailsDlqUrl]: this.resources.queues.emails.dlqUrl,
      [ENV.emailFeedbackDlqUrl]: this.resources.queues.emailFeedback.dlqUrl,
      [ENV.repaymentPolicy]: process.env[ENV.repaymentPolicy],
      [ENV.retention]: process.env[ENV.retention],
      [ENV.billingEventsTopicArn]: this.resources.topics.billingEvents.arn,
      [ENV.emailTopicArn]: this.resources.topics.emailDeliveries.arn,
      [ENV.dynamodbEndpoint]: dynamodb,
      [ENV.sqsEndpoint]: this.endpoints.sqs,
      [ENV.snsEndpoint]: this.endpoints.sns,
      [ENV.localJwtSecret]: this.jwtSecret,
      [ENV.smsCounterKey]: this.smsCounterKey,
      [ENV.webhookSecret]: this.webhookSecret,
      [ENV.logLevel]: this.options.logLevel ?? 'warn',
      [ENV.gateway]: this.options.gateway ?? process.env[ENV.gateway],
      ...Object.fromEntries(PROVIDER_KEY_NAMES.map((name) => [name, process.env[name]])),
    });
    const gateway = this.options.providers
      ? new ProviderRouter(this.options.providers(this.clock))
      : config.gateway === 'providers'
        ? await paymentGateway(config, this.clock)
        : new ProviderRouter([this.gateway]);
    this.deps = buildDeps(config, 'local', { clock: this.clock, gateway: this.chaos.gateway(gateway) });
    this.api = createApi(this.deps, localJwtAuthenticator({ secret: this.jwtSecret, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }), {
      webhooks: webhookOptions(config, { results: walletResultHandler(this.deps), bindings: bindingHintHandler(this.deps) }),
    });
    this.sweep = createSweepHandler(this.deps);
    this.reconcile = createReconcileHandler(this.deps);
    const sqs = new SQSClient({ ...clientConfig, endpoint: this.endpoints.sqs, useQueueUrlAsEndpoint: false });
    this.#sqs = sqs;
    const attemptQueue = this.resources.queues.repaymentAttempts;
    const noticeQueue = this.resources.queues.notices;
    const duplicateDelivery = () => this.chaos.settings.duplicateDelivery;
    const concurrency = this.options.pollerConcurrency ?? 1;
    this.pollers = {
      attempts: new SqsPoller(sqs, attemptQueue, createAttemptWorker(this.deps), {
        batchSize: queues.repaymentAttempts.batchSize,
        logger: this.deps.logger,
        duplicateDelivery,
        concurrency,
      }),
      notices: new SqsPoller(sqs, noticeQueue, createNotifier(this.deps), { batchSize: queues.notices.batchSize, logger: this.deps.logger, duplicateDelivery, concurrency }),
      // Email goes out through the SES stand-in (the outbox), whose feedback comes back as SES's does.
      emails: new SqsPoller(
        sqs,
        this.resources.queues.emails,
        createMailer({
          emails: new LocalEmailSender(this.messaging.outbox, () => this.clock.now(), {
            sns: new SNSClient({ ...clientConfig, endpoint: this.endpoints.sns }),
            topicArn: this.resources.topics.emailFeedback.arn,
          }),
          logger: this.deps.logger,
          idempotency: this.deps.idempotency,
          clock: this.clock,
        }),
        { batchSize: queues.emails.batchSize, logger: this.deps.logger, duplicateDelivery, concurrency },
      ),
      emailFeedback: new SqsPoller(sqs, this.resources.queues.emailFeedback, createEmailFeedbackHandler(this.deps), {
        batchSize: queues.emailFeedback.batchSize,
        logger: this.deps.logger,
        duplicateDelivery,
        concurrency,
      }),
    };
    if (this.options.background !== false) {
      for (const poller of Object.values(this.pollers)) poller.start();
      this.#scheduleRealTimeSweep();
      this.#walletTimer = setInterval(() => {
        void this.deliverWalletResults().catch((err: unknown) => this.deps.logger.error('wallet delivery failed', { error: err }));
      }, 2000);
      this.#walletTimer.unref();
    }
  }

  /** In real-time mode the sweep fires on every schedule tick of the wall clock. */
  #scheduleRealTimeSweep(): void {
    const period = schedules.sweep.everyMinutes * 60_000;
    const wait = period - (Date.now() % period);
    this.#timer = setTimeout(() => {
      if (!this.clock.simulated) void this.#exclusive(() => this.#invokeSweep()).catch((err: unknown) => this.deps.logger.error('sweep failed', { error: err }));
      this.#scheduleRealTimeSweep();
    }, wait);
    this.#timer.unref();
  }

  #invokeSweep() {
    return this.sweep({}, lambdaContext('sweep'));
  }

  /** Runs `fn` alone: simulated runs and scheduled sweeps never interleave. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#runLock.then(fn);
    this.#runLock = run.catch(() => undefined);
    return run;
  }

  async token(sub: string, roles: string[] = []): Promise<string> {
    return new SignJWT({ roles })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(new TextEncoder().encode(this.jwtSecret));
  }

  /**
   * Handles every queued message until both queues are idle; wallets that accepted a debit
   * confirm it (by signed webhook) once the queues are idle, and their outcomes are handled too.
   */
  async drain(): Promise<{ attempts: number; notices: number }> {
    let attempts = 0;
    let notices = 0;
    for (;;) {
      const a = await this.pollers.attempts.drain();
      const n = await this.pollers.notices.drain();
      // Emails the notices published, then the provider's feedback on them.
      const e = (await this.pollers.emails.drain()) + (await this.pollers.emailFeedback.drain());
      attempts += a;
      notices += n;
      if (a === 0 && n === 0 && e === 0 && (await this.deliverWalletResults()) === 0) return { attempts, notices };
    }
  }

  /** While true, wallets keep their debits pending (a wallet that has not answered yet). */
  holdWalletResults = false;

  /** Posts the simulated wallets' pending results to the webhook route, signed as a provider would. */
  async deliverWalletResults(): Promise<number> {
    if (this.holdWalletResults) return 0;
    const results = this.gateway.settlePending();
    for (const r of results) {
      const body = JSON.stringify({ id: r.eventId, type: r.type, data: r.data });
      const res = await this.api.request(`/v1/webhooks/${r.provider}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(this.webhookSecret, body, Math.floor(this.clock.now().getTime() / 1000)) },
      });
      if (res.status >= 300) this.deps.logger.error('wallet webhook refused', { provider: r.provider, eventId: r.eventId, status: res.status, body: await res.text() });
    }
    return results.length;
  }

  /**
   * Advances the simulated clock to `until`, firing the sweep at every schedule tick that has
   * work due (ticks with nothing due would do nothing and are skipped) and draining every
   * queue after each sweep.
   */
  run(until: Date, options: RunOptions = {}): Promise<RunResult> {
    return this.#exclusive(async () => {
      try {
        return await this.#run(until, options);
      } finally {
        this.#current = undefined;
      }
    });
  }

  /** The run in progress (one at a time), or undefined. */
  get currentRun(): RunProgress | undefined {
    return this.#current && { ...this.#current };
  }

  /**
   * Starts a run unless one is in progress (then undefined): the check and the start are one
   * step, so of two callers at the same moment exactly one runs.
   */
  tryRun(until: Date, options: RunOptions = {}): Promise<RunResult> | undefined {
    if (this.#current) return undefined;
    this.#current = this.#progress(until, { sweeps: 0, claimed: 0, attemptsProcessed: 0, noticesProcessed: 0, reconciled: 0, differences: 0, now: this.clock.now().toISOString() });
    return this.run(until, options);
  }

  #current: RunProgress | undefined;

  #progress(until: Date, result: RunResult): RunProgress {
    return {
      ...result,
      now: this.clock.now().toISOString(),
      from: this.#current?.from ?? this.clock.now().toISOString(),
      until: until.toISOString(),
      startedAt: this.#current?.startedAt ?? new Date().toISOString(),
    };
  }

  async #run(until: Date, options: RunOptions): Promise<RunResult> {
    {
      const period = schedules.sweep.everyMinutes * 60_000;
      const result: RunResult = { sweeps: 0, claimed: 0, attemptsProcessed: 0, noticesProcessed: 0, reconciled: 0, differences: 0, now: '' };
      if (!this.clock.simulated) this.clock.set(new Date());
      this.#current = this.#progress(until, result);
      const report = () => {
        this.#current = this.#progress(until, result);
        options.onProgress?.({ ...this.#current });
      };
      const reconcileThrough = async (limit: Date) => {
        for (const run of await this.#reconcileThrough(limit)) {
          result.reconciled += 1;
          result.differences += run.differences;
        }
      };
      const add = (d: { attempts: number; notices: number }) => {
        result.attemptsProcessed += d.attempts;
        result.noticesProcessed += d.notices;
      };
      add(await this.drain());
      for (let guard = 0; guard < 1_000_000; guard++) {
        if (options.signal?.aborted) {
          result.cancelled = true;
          break;
        }
        const heads = [await this.deps.plans.earliestDue(), await this.deps.notices.earliestDue()].filter((d) => d !== undefined);
        if (heads.length === 0) break;
        const due = new Date(Math.min(...heads.map((d) => d.getTime())));
        const from = Math.max(due.getTime(), this.clock.now().getTime());
        const tick = new Date(Math.ceil(from / period) * period);
        if (tick > until) break;
        await reconcileThrough(tick);
        this.clock.set(tick);
        const swept = await this.#invokeSweep();
        result.sweeps += 1;
        result.claimed += swept.claimed;
        add(await this.drain());
        report();
      }
      if (!result.cancelled) {
        await reconcileThrough(until);
        if (until > this.clock.now()) this.clock.set(until);
      }
      result.now = this.clock.now().toISOString();
      return result;
    }
  }

  /**
   * Fires the daily reconciliation at every scheduled instant after the clock and up to
   * `limit`, with the clock set to that instant, as EventBridge Scheduler would.
   */
  async #reconcileThrough(limit: Date): Promise<ReconciliationRun[]> {
    const runs: ReconciliationRun[] = [];
    for (;;) {
      const after = this.#reconciledThrough && this.#reconciledThrough > this.clock.now() ? this.#reconciledThrough : this.clock.now();
      const at = nextDailyRun(after);
      if (at > limit) return runs;
      this.clock.set(at);
      this.#reconciledThrough = at;
      const summary = await this.reconcile({ source: 'repayflow.scheduler', scheduledTime: at.toISOString() }, lambdaContext('reconcile'));
      const run: ReconciliationRun = {
        at: at.toISOString(),
        date: summary.date,
        captures: summary.captures,
        records: summary.records,
        differences: summary.differenceCount,
        pending: (summary.pending ?? []).map((p) => p.provider),
      };
      this.reconciliations.push(run);
      runs.push(run);
    }
  }

  /** Moves a queue's dead letters back to it (after the fault that put them there is fixed). */
  redrive(queue: QueueKey): Promise<number> {
    const q = this.resources.queues[queue];
    return redriveDeadLetters(this.#sqs, { dlqUrl: q.dlqUrl, url: q.url });
  }

  info() {
    return {
      region: REGION,
      credentials: { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: CREDENTIALS.secretAccessKey },
      endpoints: this.endpoints,
      table: this.resources.tableName,
      queues: this.resources.queues,
      topics: this.resources.topics,
      clock: { now: this.clock.now().toISOString(), simulated: this.clock.simulated },
    };
  }

  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#walletTimer) clearInterval(this.#walletTimer);
    await Promise.all(Object.values(this.pollers ?? {}).map((poller) => poller.stop()));
    await this.messaging?.stop();
    await this.#stopDynamo?.();
  }
}

export function lambdaContext(name: string) {
  return {
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomBytes(8).toString('hex'),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
