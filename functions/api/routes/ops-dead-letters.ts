/**
 * Dead letters (admin): `GET /v1/ops/dead-letters` — each queue's dead-letter depth;
 * `GET /v1/ops/dead-letters/{queue}/messages` — a look at some of its messages (they stay);
 * `POST /v1/ops/dead-letters/{queue}/redrive` — moves them back to the queue they came from
 * (SQS's move task on AWS, see shared/adapters/messaging/sqs-dead-letters.ts).
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from 'zod';
import type { Deps } from '../../../shared/application/deps.ts';
import { DEAD_LETTER_SOURCES } from '../../../shared/ports/dead-letters.port.ts';
import { adminOnlyResponse, adminRequired, createRouter, json, problemResponse, problems, security } from '../openapi-helpers.ts';
import { problem } from '../problem.ts';

export const DEAD_LETTERS_PATH = '/v1/ops/dead-letters';

const QueueParams = z.object({ queue: z.enum(DEAD_LETTER_SOURCES).openapi({ description: 'The queue whose dead letters these are' }) });

const DeadLetterQueueSchema = z
  .object({
    queue: z.enum(DEAD_LETTER_SOURCES),
    depth: z.number().int().openapi({ description: 'Messages waiting in the dead-letter queue (approximate)' }),
    inFlight: z.number().int().openapi({ description: 'Messages of the dead-letter queue being read right now' }),
    redrive: z
      .object({ status: z.string(), moved: z.number().int(), toMove: z.number().int().optional() })
      .strict()
      .optional()
      .openapi({ description: 'A redrive in progress (AWS move task)' }),
  })
  .strict()
  .openapi('DeadLetterQueue');

const DeadLetterMessageSchema = z
  .object({
    messageId: z.string(),
    body: z.string(),
    sentAt: z.string().optional().openapi({ format: 'date-time' }),
    receiveCount: z.number().int().optional(),
  })
  .strict()
  .openapi('DeadLetterMessage');

const RedriveSchema = z
  .object({
    queue: z.enum(DEAD_LETTER_SOURCES),
    mode: z.enum(['move_task', 'moved']).openapi({ description: '`move_task`: SQS is moving them (see the queue list for progress); `moved`: moved already' }),
    moved: z.number().int().optional().openapi({ description: '`moved`: how many' }),
    taskHandle: z.string().optional().openapi({ description: "`move_task`: SQS's handle of the task" }),
  })
  .strict()
  .openapi('DeadLetterRedrive');

const notConfigured = problemResponse('This deployment does not reach its dead-letter queues (DEAD_LETTERS.NOT_CONFIGURED)');

export function deadLetterRoutes(deps: Deps) {
  const router = createRouter();
  const unavailable = (c: Parameters<typeof adminRequired>[0]) =>
    problem(c, 503, { code: 'DEAD_LETTERS.NOT_CONFIGURED', detail: 'this deployment does not reach its dead-letter queues' });

  router.openapi(
    createRoute({
      method: 'get',
      path: DEAD_LETTERS_PATH,
      operationId: 'listDeadLetterQueues',
      tags: ['ops'],
      summary: 'Dead-letter queues and their depth (admin)',
      security,
      responses: {
        200: json(
          z
            .object({ items: z.array(DeadLetterQueueSchema) })
            .strict()
            .openapi('DeadLetterQueueList'),
          'Every queue',
        ),
        ...adminOnlyResponse,
        ...problems,
        503: notConfigured,
      },
    }),
    async (c) => {
      if (!c.get('principal').admin) return adminRequired(c);
      if (!deps.deadLetters) return unavailable(c);
      return c.json({ items: await deps.deadLetters.queues() }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: `${DEAD_LETTERS_PATH}/{queue}/messages`,
      operationId: 'peekDeadLetters',
      tags: ['ops'],
      summary: "A look at a dead-letter queue's messages; they stay where they are (admin)",
      description: 'SQS hands out messages, not positions: each look is a sample of up to `limit` messages (at most 10), not a page.',
      security,
      request: { params: QueueParams, query: z.object({ limit: z.coerce.number().int().min(1).max(10).default(10) }) },
      responses: {
        200: json(
          z
            .object({ items: z.array(DeadLetterMessageSchema) })
            .strict()
            .openapi('DeadLetterMessageList'),
          'Some of its messages',
        ),
        ...adminOnlyResponse,
        ...problems,
        503: notConfigured,
      },
    }),
    async (c) => {
      if (!c.get('principal').admin) return adminRequired(c);
      if (!deps.deadLetters) return unavailable(c);
      const { queue } = c.req.valid('param');
      return c.json({ items: await deps.deadLetters.peek(queue, c.req.valid('query').limit) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: `${DEAD_LETTERS_PATH}/{queue}/redrive`,
      operationId: 'redriveDeadLetters',
      tags: ['ops'],
      summary: 'Move the dead letters back to the queue they came from (admin)',
      security,
      request: { params: QueueParams },
      responses: {
        202: json(RedriveSchema, 'Redrive started (move task) or done (moved)'),
        ...adminOnlyResponse,
        ...problems,
        503: notConfigured,
      },
    }),
    async (c) => {
      if (!c.get('principal').admin) return adminRequired(c);
      if (!deps.deadLetters) return unavailable(c);
      const { queue } = c.req.valid('param');
      const result = await deps.deadLetters.redrive(queue);
      deps.logger.info('dead letters redriven', { queue, ...result });
      return c.json({ queue, ...result }, 202);
    },
  );
  return router;
}
