/**
 * The local server answers loopback only: a web page cannot reach it through DNS rebinding (its
 * own host name resolving to 127.0.0.1) nor through a cross-site form post, so it cannot mint an
 * admin token or move the clock. `/local/*` JSON routes take JSON only.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/local.ts';

let t: TestStack;
let port: string;

beforeAll(async () => {
  t = await startTestStack();
  port = new URL(t.url).port;
});

afterAll(async () => {
  await t?.stop();
});

const tokenBody = JSON.stringify({ sub: 'ops', roles: ['admin'] });

/** node:http rather than fetch, which sends its own Host header whatever it is given. */
function call(path: string, headers: Record<string, string>, init: { method?: string; body?: string } = {}): Promise<{ status: number; type: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${t.url}${path}`, { method: init.method ?? 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('Host', () => {
  it('refuses a host name that is not loopback (DNS rebinding) with 403, everywhere', async () => {
    for (const [method, path] of [
      ['POST', '/local/token'],
      ['GET', '/local/info'],
      ['GET', '/health'],
      ['GET', '/v1/plans'],
      ['GET', '/'],
    ] as const) {
      const res = await call(path, { host: 'evil.example', 'content-type': 'application/json' }, { method, ...(method === 'POST' ? { body: tokenBody } : {}) });
      expect(res.status, path).toBe(403);
      expect(res.type, path).toContain('application/problem+json');
      expect(res.body, path).toMatchObject({ status: 403, code: 'LOCAL.FORBIDDEN_HOST' });
    }
    expect((await call('/local/info', { host: `evil.example:${port}` })).status).toBe(403);
    expect((await call('/local/info', { host: `127.0.0.1.evil.example:${port}` })).status).toBe(403);
    expect((await call('/local/info', { host: `localhost.evil.example` })).status).toBe(403);
  });

  it('accepts localhost, 127.0.0.1 and [::1], with or without a port', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'localhost', '127.0.0.1', '[::1]', `LOCALHOST:${port}`]) {
      expect((await call('/local/info', { host })).status, host).toBe(200);
    }
    const minted = await call('/local/token', { host: `localhost:${port}`, 'content-type': 'application/json' }, { method: 'POST', body: tokenBody });
    expect(minted.status).toBe(200);
    expect(typeof minted.body.token).toBe('string');
  });
});

describe('Origin', () => {
  it('refuses a request from a page of another origin with 403', async () => {
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null', 'https://127.0.0.1.evil.example']) {
      const res = await call('/local/token', { origin, 'content-type': 'application/json' }, { method: 'POST', body: tokenBody });
      expect(res.status, origin).toBe(403);
      expect(res.type, origin).toContain('application/problem+json');
      expect(res.body, origin).toMatchObject({ status: 403, code: 'LOCAL.FORBIDDEN_ORIGIN' });
    }
  });

  it('refuses a cross-site form post before it reaches anything', async () => {
    const form = await call(
      '/local/provider/confirm/anything',
      { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      { method: 'POST', body: 'outcome=succeeded' },
    );
    expect(form.status).toBe(403);
    expect(form.body).toMatchObject({ code: 'LOCAL.FORBIDDEN_ORIGIN' });
  });

  it('accepts the portal’s own loopback origins', async () => {
    for (const origin of [t.url, `http://localhost:${port}`, `http://[::1]:${port}`]) {
      expect((await call('/local/token', { origin, 'content-type': 'application/json' }, { method: 'POST', body: tokenBody })).status, origin).toBe(200);
    }
  });
});

describe('Content-Type of /local bodies', () => {
  it('answers 415 to a body that is not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await call('/local/token', { 'content-type': type }, { method: 'POST', body: tokenBody });
      expect(res.status, type).toBe(415);
      expect(res.type, type).toContain('application/problem+json');
    }
    expect((await call('/local/clock', {}, { method: 'POST', body: JSON.stringify({ now: '2026-01-31T04:00:00Z' }) })).status).toBe(415);
    expect((await call('/local/token', { 'content-type': 'application/json; charset=utf-8' }, { method: 'POST', body: tokenBody })).status).toBe(200);
  });
});

describe('Errors of /local routes', () => {
  it("answers a failure with a 500 problem and writes it to the stack's structured log, nothing of it in the answer", async () => {
    // Prepare
    const logged: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    const { logger } = t.stack.deps;
    const originalError = logger.error;
    const originalRedrive = t.stack.redrive;
    logger.error = (message, fields) => logged.push({ message, ...(fields ? { fields } : {}) });
    t.stack.redrive = async () => {
      throw new Error('queue for +8613912345678 unreachable');
    };
    try {
      // Act
      const res = await call('/local/redrive', { 'content-type': 'application/json' }, { method: 'POST', body: JSON.stringify({ queue: 'notices' }) });

      // Assess
      expect(res.status).toBe(500);
      expect(res.type).toContain('application/problem+json');
      expect(JSON.stringify(res.body)).not.toContain('8613912345678');
      expect(logged).toEqual([{ message: 'local request failed', fields: expect.objectContaining({ method: 'POST', path: '/local/redrive', error: expect.any(Error) }) }]);
    } finally {
      logger.error = originalError;
      t.stack.redrive = originalRedrive;
    }
  });
});
