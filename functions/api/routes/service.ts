/** `GET /health`: liveness, no authentication. */
import { createRoute } from '@hono/zod-openapi';
import * as z from 'zod';
import { createRouter, json } from '../openapi-helpers.ts';

const HealthSchema = z
  .object({ status: z.literal('ok') })
  .strict()
  .openapi('Health');

export function serviceRoutes() {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/health',
      operationId: 'getHealth',
      tags: ['service'],
      summary: 'Liveness (no authentication)',
      security: [],
      responses: { 200: json(HealthSchema, 'Up') },
    }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );
  return router;
}
