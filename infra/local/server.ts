/**
 * The local HTTP server: the v1 API (the same router as the Lambda), the local routes, and
 * the portal when it is built.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { localRoutes } from './local-routes.ts';
import type { LocalStack } from './stack.ts';

export function localApp(stack: LocalStack) {
  const app = new Hono();
  app.route('/local', localRoutes(stack));
  app.route('/', stack.api);
  return app;
}

export async function listen(stack: LocalStack, port: number): Promise<{ server: ServerType; url: string; close(): Promise<void> }> {
  const app = localApp(stack);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
      resolve({
        server,
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
    server.once('error', reject);
  });
}
