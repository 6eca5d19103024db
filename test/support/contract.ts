/**
 * The OpenAPI document as a contract the server's real answers are held to: each response a
 * test saw is looked up in the document (path, method, status, media type) and its body
 * validated against the schema declared there, with ajv (JSON Schema 2020-12, as OpenAPI 3.1).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

export interface SeenResponse {
  method: string;
  /** The request path as sent, query included. */
  path: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

type Json = Record<string, any>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Where the contract covers: the API's own routes (the local stack's /local routes are not part of it). */
export const isDocumented = (path: string) => path === '/health' || path.startsWith('/v1/');

export function contractChecker(doc: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat('date-time', { validate: (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)) });
  ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:/i);
  const compiled = new Map<string, ValidateFunction>();
  const templates = Object.keys(doc.paths ?? {}).map((template) => ({
    template,
    params: (template.match(/\{/g) ?? []).length,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));

  function operationOf(method: string, path: string) {
    const bare = path.split('?')[0]!;
    const candidates = templates.filter((t) => t.pattern.test(bare) && doc.paths[t.template][method.toLowerCase()]).sort((a, b) => a.params - b.params);
    const found = candidates[0];
    return found ? { template: found.template, op: doc.paths[found.template][method.toLowerCase()] as Json } : undefined;
  }

  /** What is wrong with one response, by the document; empty when it is as documented. */
  function violations(seen: SeenResponse): string[] {
    const where = `${seen.method} ${seen.path} → ${seen.status}`;
    if (!METHODS.includes(seen.method.toLowerCase())) return [];
    const found = operationOf(seen.method, seen.path);
    if (!found) return [`${where}: no operation in the document`];
    const response = found.op.responses?.[String(seen.status)] ?? found.op.responses?.default;
    if (!response) return [`${where}: status ${seen.status} is not declared for ${seen.method} ${found.template}`];
    const content = response.content as Json | undefined;
    if (!content) return seen.body === undefined || seen.body === '' ? [] : [`${where}: a body where the document declares none`];
    const mediaType = (seen.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const media = content[mediaType] as Json | undefined;
    if (!media) return [`${where}: content-type ${mediaType || '(none)'} where the document declares ${Object.keys(content).join(', ')}`];
    const key = `${found.template} ${seen.method} ${seen.status} ${mediaType}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile({ ...media.schema, components: doc.components });
      compiled.set(key, validate);
    }
    if (validate(seen.body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${where}: ${e.instancePath || '(body)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
    );
  }

  return { violations, operationOf };
}
