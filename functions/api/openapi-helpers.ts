/**
 * Pieces every route definition shares: response declarations for the OpenAPI document, the
 * bearer security requirement, and problem helpers typed for Hono's per-status typing.
 */
import type { z } from '@hono/zod-openapi';
import { problem, refusalProblem } from './problem.ts';
import { ProblemSchema } from './schema.ts';

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
export const problemResponse = (description: string) => ({ content: { 'application/problem+json': { schema: ProblemSchema } }, description });

export const problems = {
  400: problemResponse('Invalid input'),
  401: problemResponse('Missing or invalid token'),
  404: problemResponse('Not found (or not yours)'),
};

export const security = [{ bearer: [] as string[] }];

/**
 * Problem responses are plain `Response`s; typed as `never` inside route handlers so that
 * Hono's per-status response typing checks the success bodies against their schemas.
 */
export const fail = problem as unknown as (...args: Parameters<typeof problem>) => never;
export const refused = refusalProblem as unknown as (...args: Parameters<typeof refusalProblem>) => never;
