/**
 * Cuts the operations the Stripe adapter uses out of Stripe's published OpenAPI document
 * (github.com/stripe/openapi, openapi/spec3.json) into openapi-subset.json:
 *   npx tsx test/fakes/stripe/extract-openapi-subset.ts <spec3.json> <version-tag>
 * Kept as published: each operation's query parameters, form request body and responses, and
 * the component schemas they reach. Two reductions keep the file small, both stricter than the
 * original: descriptions are dropped, and an expandable reference the adapter never expands
 * keeps only its unexpanded branch (an id string), so an expanded object there fails.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const OPERATIONS = [
  ['post', '/v1/customers'],
  ['post', '/v1/setup_intents'],
  ['get', '/v1/setup_intents/{intent}'],
  ['post', '/v1/setup_intents/{intent}/confirm'],
  ['get', '/v1/payment_methods/{payment_method}'],
  ['post', '/v1/payment_methods/{payment_method}/attach'],
  ['post', '/v1/payment_methods/{payment_method}/detach'],
  ['post', '/v1/payment_intents'],
  ['get', '/v1/payment_intents'],
  ['get', '/v1/payment_intents/search'],
  ['get', '/v1/payment_intents/{intent}'],
  ['post', '/v1/payment_intents/{intent}/confirm'],
  ['post', '/v1/payment_intents/{intent}/cancel'],
] as const;

/** Expandable fields the adapter does expand: `<schema>.<property>`. */
const EXPANDED = new Set(['setup_intent.payment_method']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function collectRefs(node: Json, into: Set<string>): void {
  if (Array.isArray(node)) for (const v of node) collectRefs(v, into);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') into.add(v.split('/').pop()!);
      else collectRefs(v, into);
    }
}

function strip(node: Json, owner?: string): Json {
  if (Array.isArray(node)) return node.map((v) => strip(v));
  if (!node || typeof node !== 'object') return node;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'description' && typeof v === 'string') continue;
    if (k === 'properties' && owner && v && typeof v === 'object' && !Array.isArray(v)) {
      const props: { [k: string]: Json } = {};
      for (const [name, prop] of Object.entries(v)) props[name] = reduceExpandable(strip(prop), `${owner}.${name}`);
      out[k] = props;
    } else out[k] = strip(v);
  }
  return out;
}

function reduceExpandable(prop: Json, where: string): Json {
  if (!prop || typeof prop !== 'object' || Array.isArray(prop) || !('x-expansionResources' in prop) || EXPANDED.has(where)) return prop;
  const { anyOf, 'x-expansionResources': _dropped, ...rest } = prop;
  const idBranch = Array.isArray(anyOf) ? anyOf.find((b) => b && typeof b === 'object' && !Array.isArray(b) && b['type'] === 'string') : undefined;
  return idBranch && typeof idBranch === 'object' && !Array.isArray(idBranch) ? { ...rest, ...idBranch } : prop;
}

export function extract(spec: { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Json> }; info: { version: string } }, tag: string) {
  const paths: Record<string, Record<string, Json>> = {};
  for (const [method, path] of OPERATIONS) {
    const op = spec.paths[path]?.[method];
    if (!op) throw new Error(`${method} ${path} is not in the document`);
    (paths[path] ??= {})[method] = strip(op);
  }
  const schemas: Record<string, Json> = {};
  const todo = new Set<string>();
  collectRefs(paths as Json, todo);
  while (todo.size) {
    const [name] = todo;
    todo.delete(name!);
    if (name! in schemas) continue;
    const reduced = strip(spec.components.schemas[name!]!, name);
    schemas[name!] = reduced;
    const more = new Set<string>();
    collectRefs(reduced, more);
    for (const m of more) if (!(m in schemas)) todo.add(m);
  }
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return {
    'x-source': { repository: 'https://github.com/stripe/openapi', file: 'openapi/spec3.json', tag, apiVersion: spec.info.version },
    openapi: '3.0.0',
    paths,
    components: { schemas: sorted },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [, , file, tag = 'unknown'] = process.argv;
  if (!file) throw new Error('usage: extract-openapi-subset.ts <spec3.json> <tag>');
  const spec = JSON.parse(readFileSync(file, 'utf8'));
  const out = extract(spec, tag);
  writeFileSync(new URL('./openapi-subset.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
  console.log(`${Object.keys(out.components.schemas).length} schemas`);
}
