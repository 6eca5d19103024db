/**
 * RFC 9457 problem details: the one place where errors become HTTP statuses. Only 4xx carry
 * their detail; a 5xx says nothing about the fault.
 */
import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { core } from 'zod';
import { type FailureKind, RepayflowError } from '../../shared/domain/errors.ts';
import type { DomainRefusal, RefusalKind } from '../../shared/domain/result.ts';
import type { ProblemSchema } from './schema.ts';

export type Problem = z.infer<typeof ProblemSchema>;
type ProblemFields = Omit<Problem, 'type' | 'title' | 'status'> & { title?: string };

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An `application/problem+json` response with status `S`, typed for the routes' response checks. */
export function problem<S extends ContentfulStatusCode>(c: Context, status: S, fields: ProblemFields = {}, headers: Record<string, string> = {}) {
  const body: Problem = {
    type: typeof fields.code === 'string' ? `https://repayflow.dev/problems/${fields.code.toLowerCase().replaceAll('.', '-').replaceAll('_', '-')}` : 'about:blank',
    title: fields.title ?? TITLES[status] ?? 'Error',
    status,
    ...fields,
  };
  return c.json(body, status, { ...headers, 'Content-Type': 'application/problem+json' });
}

export type ProblemResponse<S extends ContentfulStatusCode> = ReturnType<typeof problem<S>>;

/**
 * The HTTP status of every kind of failure. A table rather than a switch: `satisfies` makes it
 * exhaustive just the same (a new kind without a status does not compile), and it keeps each
 * status as a literal type, so a route's handler is checked to declare every status its
 * refusals can take.
 */
export const STATUS_OF = {
  invalid: 400,
  unauthenticated: 401,
  declined: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  fault: 500,
} as const satisfies Record<FailureKind, ContentfulStatusCode>;

export type StatusOf<K extends FailureKind> = (typeof STATUS_OF)[K];

export interface FieldError {
  field: string;
  message: string;
}

/**
 * What a zod issue means, said for people. Messages our schemas set themselves (lower case:
 * "must be a calendar date YYYY-MM-DD") are kept; zod's own defaults ("Invalid input: expected
 * string, received undefined") are rewritten. An unknown key is named as its own field. `input`
 * (the value that was parsed) tells a missing field from a wrong one.
 */
export function fieldErrors(issues: readonly core.$ZodIssue[], input?: unknown): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    const at = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(body)';
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: at([...issue.path, key]), message: 'is not a field of this request' }));
    return [{ field: at(issue.path), message: /^[a-z]/.test(issue.message) ? issue.message : describeIssue(issue, valueAt(input, issue.path)) }];
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

const NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'a list',
  bigint: 'a whole number',
  date: 'a date',
};
const FORMATS: Record<string, string> = {
  datetime: 'an ISO 8601 date and time with an offset, such as 2026-01-31T04:00:00Z',
  date: 'a calendar date YYYY-MM-DD',
  email: 'an email address',
  url: 'a URL',
  uuid: 'a UUID',
};
const list = (values: readonly unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

function describeIssue(issue: core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is required';
      return `must be ${NOUNS[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'must not be empty' : `must be at least ${min} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return min <= 1 ? 'must not be empty' : `must have at least ${min} items`;
      return issue.inclusive ? `must be ${min} or more` : `must be more than ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${max} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${max} items`;
      return issue.inclusive ? `must be ${max} or less` : `must be less than ${max}`;
    }
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${list(issue.values)}` : `must be one of ${list(issue.values)}`;
    case 'invalid_format':
      return `must be ${FORMATS[issue.format] ?? `in ${issue.format} format`}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      return Array.isArray(options) && options.length > 0 ? `must be one of ${list(options)}` : 'does not match any of the accepted forms';
    }
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has an entry that is not allowed';
    default:
      return 'is not valid';
  }
}

/** 400 REQUEST.INVALID naming every field at fault. */
export function validationProblem(c: Context, issues: readonly core.$ZodIssue[], input?: unknown) {
  const errors = fieldErrors(issues, input);
  return problem(c, 400, { code: 'REQUEST.INVALID', detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors });
}

/** 413: the body is over the limit (hono's bodyLimit). */
export function tooLargeProblem(c: Context, maxBytes: number): Response {
  return problem(c, 413, { code: 'REQUEST.TOO_LARGE', detail: `request bodies are limited to ${maxBytes} bytes` });
}

/**
 * 401 with the challenge RFC 6750 asks for: `WWW-Authenticate: Bearer`, and
 * `error="invalid_token"` when a token was sent but not accepted.
 */
export function unauthenticatedProblem(c: Context, tokenSent: boolean): Response {
  const challenge = tokenSent ? 'Bearer realm="repayflow", error="invalid_token", error_description="the token is invalid or expired"' : 'Bearer realm="repayflow"';
  return problem(
    c,
    401,
    { code: 'AUTH.INVALID_TOKEN', detail: tokenSent ? 'the bearer token is invalid or expired' : 'a bearer token is required: send authorization: Bearer <token>' },
    { 'www-authenticate': challenge },
  );
}

/**
 * Problems the HTTP layer raises before a route runs (hono's and @hono/zod-openapi's
 * validators throw `HTTPException`s): each gets a code and a detail that says what to send.
 */
function edgeProblem(err: HTTPException, c: Context): Response {
  const status = err.status as ContentfulStatusCode;
  if (status === 415) {
    const sent = c.req.header('content-type');
    return problem(
      c,
      415,
      { code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', detail: `the body must be JSON sent with content-type: application/json${sent ? ` (got ${sent.split(';')[0]})` : ''}` },
      { accept: 'application/json' },
    );
  }
  // hono's JSON validator: "Malformed JSON in request body".
  if (status === 400 && /json/i.test(err.message)) return problem(c, 400, { code: 'REQUEST.MALFORMED_JSON', detail: 'the body is not valid JSON' });
  if (status === 413) return problem(c, 413, { code: 'REQUEST.TOO_LARGE', detail: err.message || TITLES[413]! });
  return problem(c, status, { code: status < 500 ? 'REQUEST.INVALID' : 'SERVER.ERROR', detail: err.message || TITLES[status] || 'Error' });
}

/**
 * A refusal as a problem: the status its kind maps to, its code and message, the field at
 * fault, its extra members, and `Retry-After` when it is temporary.
 */
export function refusalProblem<K extends RefusalKind>(c: Context, refusal: DomainRefusal<K>) {
  const retry: Record<string, string> = refusal.retryAfterSeconds === undefined ? {} : { 'retry-after': String(refusal.retryAfterSeconds) };
  const field = refusal.field;
  const errors = field === undefined ? {} : { errors: [{ field, message: refusal.message.startsWith(`${field}: `) ? refusal.message.slice(field.length + 2) : refusal.message }] };
  const status: StatusOf<K> = STATUS_OF[refusal.kind];
  return problem(c, status, { ...refusal.details, code: refusal.code, detail: refusal.message, ...errors }, retry);
}

/** A thrown error as a problem: a repayflow error by its kind (faults say nothing), anything else 500. */
export function errorToProblem(err: unknown, c: Context): Response {
  if (err instanceof HTTPException) return edgeProblem(err, c);
  if (!(err instanceof RepayflowError) || err.kind === 'fault') return problem(c, 500, { detail: 'The server could not complete the request.' });
  const field = err.details?.field;
  const errors = typeof field === 'string' ? { errors: [{ field, message: err.message.replace(/^[^:]+: /, '') }] } : {};
  return problem(c, STATUS_OF[err.kind], { code: err.code, detail: err.message, ...(err.kind === 'invalid' ? errors : {}) });
}
