/**
 * Local-only routes (never deployed): tokens, the simulated clock, simulated runs, the SMS and
 * email outbox, emulator info, the simulated gateway's ledger and stand-in pages, and the
 * customers the portal's local sign-in page offers.
 */
import { type Context, Hono } from 'hono';
import { stream } from 'hono/streaming';
import * as z from 'zod';
import { problem, validationProblem } from '../../functions/api/problem.ts';
import { dynamoDocumentClient } from '../../shared/adapters/clients.ts';
import { createEntities } from '../../shared/adapters/dynamodb/entities.ts';
import { providerPages } from './provider-pages.ts';
import type { LocalStack } from './stack.ts';

const TokenBody = z.object({ sub: z.string().min(1).max(64), roles: z.array(z.string()).default([]) }).strict();
const rate = z.number().min(0).max(1);
const RedriveBody = z.object({ queue: z.enum(['repaymentAttempts', 'notices']) }).strict();
const ChaosBody = z.object({ duplicateDelivery: z.boolean(), gatewayTimeoutRate: rate, crashAfterChargeRate: rate, seed: z.number().int() }).partial().strict();
const InstantBody = (field: string) => z.object({ [field]: z.string().datetime({ offset: true }) }).strict();

export function localRoutes(stack: LocalStack) {
  const app = new Hono();

  async function body<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T> | Response> {
    // JSON only: a cross-site form can send a "simple" text/plain or form body, never JSON.
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      return problem(c, 415, { code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', detail: 'the body must be application/json' });
    }
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return problem(c, 400, { code: 'REQUEST.MALFORMED_JSON', detail: 'the body is not valid JSON' });
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return validationProblem(c, parsed.error.issues, raw);
    return parsed.data;
  }

  app.post('/token', async (c) => {
    const input = await body(c, TokenBody);
    if (input instanceof Response) return input;
    return c.json({ token: await stack.token(input.sub, input.roles) });
  });

  app.get('/clock', (c) => c.json(stack.info().clock));

  /** A run owns the simulated clock until it ends. */
  const busy = (c: Context) => {
    const run = stack.currentRun;
    return problem(c, 409, {
      code: 'RUN.IN_PROGRESS',
      detail: `a run to ${run?.until ?? 'a later instant'} is in progress (simulated clock at ${run?.now ?? stack.clock.now().toISOString()}); wait for it (GET /local/run) or cancel it by closing its request`,
    });
  };

  app.post('/clock', async (c) => {
    const input = await body(c, InstantBody('now'));
    if (input instanceof Response) return input;
    if (stack.currentRun) return busy(c);
    stack.clock.set(new Date(input.now as string));
    return c.json(stack.info().clock);
  });

  app.post('/run', async (c) => {
    const input = await body(c, InstantBody('until'));
    if (input instanceof Response) return input;
    const until = new Date(input.until as string);
    if (stack.currentRun) return busy(c);
    if (stack.clock.simulated && until < stack.clock.now()) {
      return problem(c, 400, { code: 'CLOCK.BACKWARDS', detail: `until is before the simulated clock (${stack.clock.now().toISOString()})` });
    }
    // The run stops when the client goes away (its request is aborted).
    const cancel = new AbortController();
    c.req.raw.signal.addEventListener('abort', () => cancel.abort(), { once: true });
    const streaming = (c.req.header('accept') ?? '').includes('application/x-ndjson');
    if (!streaming) {
      const running = stack.tryRun(until, { signal: cancel.signal });
      if (!running) return busy(c);
      return c.json(await running);
    }
    // Streamed: one JSON line per sweep tick with the progress so far, then the result.
    let write: (line: unknown) => void = () => undefined;
    const running = stack.tryRun(until, { signal: cancel.signal, onProgress: (p) => write({ progress: p }) });
    if (!running) return busy(c);
    c.header('content-type', 'application/x-ndjson');
    c.header('cache-control', 'no-cache');
    return stream(
      c,
      async (out) => {
        out.onAbort(() => cancel.abort());
        write = (line) => void out.write(`${JSON.stringify(line)}\n`).catch(() => cancel.abort());
        write({ progress: stack.currentRun });
        const result = await running;
        await out.write(`${JSON.stringify({ result })}\n`);
      },
      async () => cancel.abort(),
    );
  });

  /** Polling: the run in progress, if any. */
  app.get('/run', (c) => {
    const run = stack.currentRun;
    return c.json(run ? { running: true, progress: run } : { running: false, now: stack.clock.now().toISOString() });
  });

  app.get('/outbox', (c) => {
    const channel = c.req.query('channel');
    if (channel !== undefined && channel !== 'sms' && channel !== 'email') {
      return problem(c, 400, { code: 'REQUEST.INVALID', detail: 'channel: must be sms or email', errors: [{ field: 'channel', message: 'must be sms or email' }] });
    }
    const items = stack.messaging.outbox.filter((m) => channel === undefined || m.channel === channel);
    return c.json({ items });
  });

  app.get('/info', (c) => c.json(stack.info()));

  app.post('/redrive', async (c) => {
    const input = await body(c, RedriveBody);
    if (input instanceof Response) return input;
    return c.json({ queue: input.queue, moved: await stack.redrive(input.queue) });
  });

  app.get('/chaos', (c) => c.json(stack.chaos.settings));

  app.post('/chaos', async (c) => {
    const input = await body(c, ChaosBody);
    if (input instanceof Response) return input;
    return c.json(stack.chaos.configure(input));
  });

  app.get('/gateway/charges', (c) => c.json({ items: stack.gateway.charges() }));

  /** The simulated provider's stand-in sign and confirmation pages. */
  app.route('/provider', providerPages(stack));

  /**
   * Customers to sign in as on the portal's local sign-in page (the stand-in for an identity
   * provider). A Scan, which only this local route may do: the local table is small, and no
   * deployed code lists customers.
   */
  let entities: ReturnType<typeof createEntities> | undefined;
  app.get('/customers', async (c) => {
    entities ??= createEntities(dynamoDocumentClient({ endpoints: { dynamodb: stack.endpoints.dynamodb } }), stack.resources.tableName);
    const { data } = await entities.customer.scan.go({ pages: 'all' });
    const items = data.map((x) => ({ id: x.customerId, name: x.name, locale: x.locale })).sort((a, b) => a.id.localeCompare(b.id));
    return c.json({ items });
  });

  return app;
}
