/**
 * RFC 9457 problem details: the one place where errors become HTTP statuses. Only 4xx carry
 * their detail; a 5xx says nothing about the fault.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ConflictError, InvalidInputError, NotFoundError, RepayflowError } from '../../shared/domain/errors.ts';
import type { DomainRefusal } from '../../shared/domain/result.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: Array<{ field: string; message: string }>;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
};

export function problem(_c: Context, status: ContentfulStatusCode, fields: Omit<Problem, 'type' | 'title' | 'status'> & { title?: string } = {}): Response {
  const body: Problem = {
    type: typeof fields.code === 'string' ? `https://repayflow.dev/problems/${fields.code.toLowerCase().replaceAll('.', '-').replaceAll('_', '-')}` : 'about:blank',
    title: fields.title ?? TITLES[status] ?? 'Error',
    status,
    ...fields,
  };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });
}

/** HTTP status of a domain refusal, chosen by its code. */
export function statusOfRefusal(refusal: DomainRefusal): ContentfulStatusCode {
  if (refusal.code.endsWith('.NOT_FOUND')) return 404;
  if (refusal.code.endsWith('.EXISTS')) return 409;
  return 409;
}

export function refusalProblem(c: Context, refusal: DomainRefusal): Response {
  return problem(c, statusOfRefusal(refusal), { code: refusal.code, detail: refusal.message });
}

export function errorToProblem(err: unknown, c: Context): Response {
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return problem(c, status, { detail: err.message || TITLES[status] || 'Error' });
  }
  if (err instanceof InvalidInputError) {
    const field = err.details?.field;
    return problem(c, 400, { code: err.code, detail: err.message, ...(typeof field === 'string' ? { errors: [{ field, message: err.message.replace(/^[^:]+: /, '') }] } : {}) });
  }
  if (err instanceof NotFoundError) return problem(c, 404, { code: err.code, detail: err.message });
  if (err instanceof ConflictError) return problem(c, 409, { code: err.code, detail: err.message });
  if (err instanceof RepayflowError && err.code.startsWith('AUTH.')) return problem(c, 401, { code: err.code, detail: err.message });
  return problem(c, 500, { detail: 'The server could not complete the request.' });
}
