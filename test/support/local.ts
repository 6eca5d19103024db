/** A local stack per test file, with a small HTTP client for the API. */
import { inject } from 'vitest';
import { listen } from '../../infra/local/server.ts';
import { LocalStack, type LocalStackOptions } from '../../infra/local/stack.ts';
import { contractChecker, isDocumented, type SeenResponse } from './contract.ts';

export interface TestStack {
  stack: LocalStack;
  url: string;
  http: (
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ) => Promise<{ status: number; headers: Headers; body: any }>;
  adminToken: string;
  /** Every answer of the API's own routes this stack gave through `http`, for the contract check. */
  seen: SeenResponse[];
  /** What in `seen` differs from the OpenAPI document the server itself serves. */
  contractViolations(): Promise<string[]>;
  stop(): Promise<void>;
}

/** `port` 0 picks a free one; a fixed one lets a provider be told the server's URL before it starts. */
export async function startTestStack(options: LocalStackOptions = {}, port = 0): Promise<TestStack> {
  const stack = await LocalStack.start({ dynamodbEndpoint: inject('dynamodbEndpoint'), background: false, logLevel: 'silent', ...options });
  const server = await listen(stack, port);
  const adminToken = await stack.token('ops', ['admin']);
  const seen: SeenResponse[] = [];
  const http: TestStack['http'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const res = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    if (isDocumented(path)) seen.push({ method, path, status: res.status, contentType: res.headers.get('content-type'), body: parsed });
    return { status: res.status, headers: res.headers, body: parsed };
  };
  return {
    stack,
    url: server.url,
    http,
    adminToken,
    seen,
    async contractViolations() {
      const doc = await (await fetch(`${server.url}/openapi.json`)).json();
      const { violations } = contractChecker(doc);
      return seen.flatMap(violations);
    },
    stop: async () => {
      await server.close();
      await stack.stop();
    },
  };
}
