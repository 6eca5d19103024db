/**
 * Customer support: cases, their threads, and the operators' decisions on extension requests.
 * Each route is wiring: guard → parse (zod) → use case → view. A customer reaches only their
 * own cases (another's looks absent); approving and declining are for the admin role.
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from 'zod';
import type { Deps } from '../../../shared/application/deps.ts';
import { type Actor, approveExtension, type CaseThread, closeCase, declineExtension, listCases, openCase, postMessage, readCase } from '../../../shared/application/support.ts';
import { MAX_PERIODS } from '../../../shared/domain/plan.ts';
import { CASE_CATEGORIES, CASE_STATUSES, type CaseMessage, MAX_MESSAGE_CHARS, type SupportCase } from '../../../shared/domain/support.ts';
import {
  type ApiContext,
  adminOnlyResponse,
  adminRequired,
  bodyProblems,
  createRouter,
  type IdempotentRoute,
  idempotencyProblems,
  json,
  problemResponse,
  problems,
  security,
} from '../openapi-helpers.ts';
import { problem, refusalProblem } from '../problem.ts';
import { IdempotencyHeaders, pageOf } from '../schema.ts';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');
const dateTime = z.string().openapi({ format: 'date-time', example: '2026-02-28T01:00:00.000Z' });
const message = z
  .string()
  .max(MAX_MESSAGE_CHARS)
  .openapi({ description: `What the writer says (1-${MAX_MESSAGE_CHARS} characters once control characters are removed)`, example: '扣款失败了，能否延期几天？' });

const CaseParams = z.object({ caseId: id });

const OpenCaseSchema = z
  .object({
    category: z.enum(CASE_CATEGORIES),
    planId: id.optional().openapi({ description: 'The plan the case is about (required for an extension request)' }),
    repaymentId: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .openapi({ description: "A repayment attempt of that plan (a failed debit's record); names its period when `period` is absent" }),
    period: z.number().int().min(1).max(MAX_PERIODS).optional().openapi({ description: 'The period the case is about (required for an extension request)' }),
    days: z.number().int().min(1).max(180).optional().openapi({ description: 'Extension requests: days to move the due date by' }),
    customerId: id.optional().openapi({ description: "Admin only: whose case it is (the plan's customer when absent)" }),
    message,
  })
  .strict()
  .openapi('OpenCaseRequest');

const MessageRequestSchema = z.object({ message }).strict().openapi('CaseMessageRequest');
const DeclineRequestSchema = z
  .object({ reason: z.string().max(MAX_MESSAGE_CHARS).openapi({ description: 'Why the request is declined; told to the customer as support’s message' }) })
  .strict()
  .openapi('DeclineRequest');

const CaseMessageSchema = z
  .object({
    messageId: z.string(),
    seq: z.number().int().min(1).openapi({ description: 'Its place in the thread, from 1' }),
    author: z.enum(['customer', 'operator']),
    authorId: z.string().optional().openapi({ description: "Who wrote it (admin views only: an operator's id is not shown to customers)" }),
    body: z.string(),
    createdAt: dateTime,
  })
  .strict()
  .openapi('CaseMessage');

const caseFields = {
  caseId: z.string(),
  customerId: z.string(),
  category: z.enum(CASE_CATEGORIES),
  status: z.enum(CASE_STATUSES).openapi({ description: 'open → answered (support replied) → closed, or for an extension request approved / declined' }),
  planId: z.string().optional(),
  repaymentId: z.string().optional(),
  period: z.number().int().optional(),
  days: z.number().int().optional(),
  subject: z.string().openapi({ description: 'The first line of the first message' }),
  messageCount: z.number().int().min(1),
  createdAt: dateTime,
  updatedAt: dateTime,
  decidedAt: dateTime.optional(),
  decidedBy: z.string().optional().openapi({ description: 'Admin views only' }),
  decisionReason: z.string().optional().openapi({ description: 'Declined: why' }),
  newDueDate: z.string().optional().openapi({ format: 'date', description: 'Approved: the due date the period was moved to' }),
};
const CaseSummarySchema = z.object(caseFields).strict().openapi('SupportCaseSummary');
export const SupportCaseSchema = z
  .object({ ...caseFields, messages: z.array(CaseMessageSchema) })
  .strict()
  .openapi('SupportCase');
const CasePage = pageOf(CaseSummarySchema, 'SupportCasePage');

const ListCasesQuery = z.object({
  status: z.enum(CASE_STATUSES).optional(),
  customerId: id.optional().openapi({ description: "Admin only: one customer's cases" }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional().openapi({ description: 'The cursor of the previous page' }),
});

const refusedInState = problemResponse(
  'Refused in the current state (CASE.CLOSED, CASE.ALREADY_DECIDED, CASE.DECISION_IN_PROGRESS, CASE.NOT_AN_EXTENSION_REQUEST, or the plan’s deferral refusal such as DEFERRAL.OVERLAPS_NEXT), or a request with this Idempotency-Key is still in progress',
);
const unprocessable = problemResponse('The message or reason is empty or too long, an extension request lacks its plan, period or days, or an admin names no customer (CASE.*)');
const caseNotFound = (c: ApiContext, caseId: string) => problem(c, 404, { code: 'CASE.NOT_FOUND', detail: `case ${caseId} does not exist` });

/** A customer sees no operator ids; an admin sees who decided and who wrote. */
function summaryView(supportCase: SupportCase, admin: boolean) {
  const { decidedBy, ...rest } = supportCase;
  return admin && decidedBy !== undefined ? { ...rest, decidedBy } : rest;
}
function messageView(entry: CaseMessage, admin: boolean) {
  const { caseId: _c, authorId, ...rest } = entry;
  return admin ? { ...rest, authorId } : rest;
}
export const supportCaseView = (thread: CaseThread, admin: boolean) => ({ ...summaryView(thread.supportCase, admin), messages: thread.messages.map((m) => messageView(m, admin)) });

export function supportRoutes(deps: Deps, idempotent: IdempotentRoute) {
  const router = createRouter();
  const actorOf = (c: ApiContext): Actor => ({ id: c.get('principal').sub, operator: c.get('principal').admin });

  router.openapi(
    createRoute({
      method: 'post',
      path: '/v1/support/cases',
      operationId: 'openSupportCase',
      tags: ['support'],
      summary: 'Open a support case: about a failed debit, a wrong amount, a refund, an extension request, or anything else',
      security,
      request: { headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: OpenCaseSchema } }, required: true } },
      responses: {
        201: json(SupportCaseSchema, 'The case with its first message'),
        ...problems,
        404: problemResponse('No such plan (or not yours), repayment, period or customer'),
        ...idempotencyProblems,
        409: refusedInState,
        422: unprocessable,
        ...bodyProblems,
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const actor = actorOf(c);
      return idempotent(
        c,
        'POST /v1/support/cases',
        input,
        async () => {
          const result = await openCase(deps, actor, input);
          if (!result.ok) return refusalProblem(c, result.error);
          return c.json(supportCaseView(result.value, actor.operator), 201);
        },
        { required: false },
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/v1/support/cases',
      operationId: 'listSupportCases',
      tags: ['support'],
      summary: "My cases, newest first; an admin's inbox: every customer's (open first), by `status`, or one customer's; cursor paging",
      security,
      request: { query: ListCasesQuery },
      responses: { 200: json(CasePage, 'A page of cases (without their messages)'), ...problems },
    }),
    async (c) => {
      const { status, customerId, limit, cursor } = c.req.valid('query');
      const actor = actorOf(c);
      // A customer's list is their own whatever they name.
      const page = await listCases(deps, actor, {
        limit,
        ...(cursor ? { cursor } : {}),
        ...(status ? { status } : {}),
        ...(actor.operator && customerId ? { customerId } : {}),
      });
      return c.json({ items: page.cases.map((s) => summaryView(s, actor.operator)), cursor: page.cursor }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/v1/support/cases/{caseId}',
      operationId: 'getSupportCase',
      tags: ['support'],
      summary: 'A case with its messages, oldest first',
      security,
      request: { params: CaseParams },
      responses: { 200: json(SupportCaseSchema, 'The case and its thread'), ...problems },
    }),
    async (c) => {
      const { caseId } = c.req.valid('param');
      const actor = actorOf(c);
      const thread = await readCase(deps, actor, caseId);
      if (!thread) return caseNotFound(c, caseId);
      return c.json(supportCaseView(thread, actor.operator), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/v1/support/cases/{caseId}/messages',
      operationId: 'postSupportMessage',
      tags: ['support'],
      summary: "Write on a case: support's message answers it and reaches the customer as a notice (SMS/email by their preferences); the customer's opens it again",
      security,
      request: { params: CaseParams, headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: MessageRequestSchema } }, required: true } },
      responses: { 201: json(SupportCaseSchema, 'The case with the new message'), ...problems, ...idempotencyProblems, 409: refusedInState, 422: unprocessable, ...bodyProblems },
    }),
    async (c) => {
      const { caseId } = c.req.valid('param');
      const input = c.req.valid('json');
      const actor = actorOf(c);
      return idempotent(
        c,
        'POST /v1/support/cases/{caseId}/messages',
        input,
        async () => {
          const result = await postMessage(deps, actor, caseId, input.message);
          if (!result.ok) return refusalProblem(c, result.error);
          return c.json(supportCaseView(result.value, actor.operator), 201);
        },
        { required: false },
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/v1/support/cases/{caseId}/approve',
      operationId: 'approveExtensionRequest',
      tags: ['support'],
      summary:
        "Approve an extension request (admin): the period is deferred by the days asked, under the plan's frozen policy with the operator's wider limits (docs/rules.md); the customer gets the deferral notice",
      security,
      request: { params: CaseParams, headers: IdempotencyHeaders },
      responses: { 200: json(SupportCaseSchema, 'The approved case with the new due date'), ...adminOnlyResponse, ...problems, ...idempotencyProblems, 409: refusedInState },
    }),
    async (c) => {
      const { caseId } = c.req.valid('param');
      if (!c.get('principal').admin) return adminRequired(c);
      return idempotent(
        c,
        'POST /v1/support/cases/{caseId}/approve',
        {},
        async () => {
          const result = await approveExtension(deps, actorOf(c), caseId);
          if (!result.ok) return refusalProblem(c, result.error);
          return c.json(supportCaseView(result.value, true), 200);
        },
        { required: false },
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/v1/support/cases/{caseId}/decline',
      operationId: 'declineExtensionRequest',
      tags: ['support'],
      summary: "Decline an extension request (admin) with a reason, which becomes support's message to the customer",
      security,
      request: { params: CaseParams, headers: IdempotencyHeaders, body: { content: { 'application/json': { schema: DeclineRequestSchema } }, required: true } },
      responses: {
        200: json(SupportCaseSchema, 'The declined case'),
        ...adminOnlyResponse,
        ...problems,
        ...idempotencyProblems,
        409: refusedInState,
        422: problemResponse('No reason given (CASE.REASON_REQUIRED) or too long'),
        ...bodyProblems,
      },
    }),
    async (c) => {
      const { caseId } = c.req.valid('param');
      const input = c.req.valid('json');
      if (!c.get('principal').admin) return adminRequired(c);
      return idempotent(
        c,
        'POST /v1/support/cases/{caseId}/decline',
        input,
        async () => {
          const result = await declineExtension(deps, actorOf(c), caseId, input.reason);
          if (!result.ok) return refusalProblem(c, result.error);
          return c.json(supportCaseView(result.value, true), 200);
        },
        { required: false },
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/v1/support/cases/{caseId}/close',
      operationId: 'closeSupportCase',
      tags: ['support'],
      summary: 'Close a case that is open or answered (its customer or support)',
      security,
      request: { params: CaseParams, headers: IdempotencyHeaders },
      responses: { 200: json(SupportCaseSchema, 'The closed case'), ...problems, ...idempotencyProblems, 409: refusedInState },
    }),
    async (c) => {
      const { caseId } = c.req.valid('param');
      const actor = actorOf(c);
      return idempotent(
        c,
        'POST /v1/support/cases/{caseId}/close',
        {},
        async () => {
          const result = await closeCase(deps, actor, caseId);
          if (!result.ok) return refusalProblem(c, result.error);
          return c.json(supportCaseView(result.value, actor.operator), 200);
        },
        { required: false },
      );
    },
  );

  return router;
}
