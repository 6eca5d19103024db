/**
 * `GET /docs` as a sub-app: the page is rendered at the first request, from the document
 * `document()` returns then (every route is registered by that time). The renderer
 * (./docs.ts) is imported then too, so the API's Lambda bundle keeps it in a lazy chunk.
 */
import { type Context, Hono } from 'hono';

export function docsRoutes(document: () => Promise<object>, path = '/docs'): Hono {
  const app = new Hono();
  let html: string | undefined;
  app.get(path, async (c: Context) => {
    if (html === undefined) {
      const { renderDocs } = await import('./docs.ts');
      html = renderDocs((await document()) as Record<string, unknown>);
    }
    return c.html(html, 200, { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'" });
  });
  return app;
}
