/**
 * The portal speaks to the API only through the client generated from the OpenAPI document
 * (web/src/api-types.ts + openapi-fetch): no path written into a URL by hand, no response shape
 * copied by hand. The compiler then checks every path, parameter, body and answer.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const web = join(import.meta.dirname, '..', '..', 'web', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') && name !== 'api-types.ts' ? [path] : [];
  });
}

const files = sources(web).map((path) => ({ file: relative(web, path), text: readFileSync(path, 'utf8') }));

describe('Portal: one contract with the API', () => {
  it('names every API path only as a path of the generated client (client.GET("/v1/…"))', () => {
    const handWritten = files.flatMap(({ file, text }) =>
      [...text.matchAll(/(.{0,20})[`'"](\/v1\/[^`'"]*)[`'"]/g)]
        .filter((m) => !/client\.(GET|POST|PUT|PATCH|DELETE)\($/.test(m[1] ?? ''))
        // Comments may name a route.
        .filter((m) => !/^\s*(\*|\/\/)/.test(text.slice(text.lastIndexOf('\n', m.index) + 1, m.index)))
        .map((m) => `${file}: ${m[2]}`),
    );
    expect(handWritten).toEqual([]);
  });

  it('calls fetch only for what is not the API (the local stack’s routes, the identity provider’s settings)', () => {
    const callers = files.filter(({ text }) => /\bfetch\(/.test(text)).map(({ file }) => file);
    expect(callers.sort()).toEqual(['api.ts', 'identity.ts']);
    const api = files.find((f) => f.file === 'api.ts')?.text ?? '';
    expect([...api.matchAll(/\bfetch\(([^,)]+)/g)].map((m) => m[1])).toEqual(['path']);
    expect([...api.matchAll(/^\s+'(\w+ [^']+)': \{/gm)].map((m) => m[1]?.split(' ')[1]?.startsWith('/local/'))).not.toContain(false);
  });

  it('takes every API shape from the generated types, none written by hand', () => {
    const api = files.find((f) => f.file === 'api.ts')?.text ?? '';
    const exported = [...api.matchAll(/^export type (\w+)(?:<[^>]*>)? = (.+);$/gm)];
    expect(exported.length).toBeGreaterThan(5);
    for (const [, name, definition] of exported) expect(`${name} = ${definition}`).toMatch(/Schemas\[|components\[|Partial<Schemas|RepaymentRequest\[|PaymentMethod\[|Customer\[/);
    // No call names its answer's type by hand (`api<Plan>(…)`), and pages declare no object shapes of their own.
    const shapes = files.flatMap(({ file, text }) => [
      ...[...text.matchAll(/\b(?<!function )(?:api|request|send|withStatus|localRoute)<[A-Z{]/g)].map((m) => `${file}: ${m[0]}`),
      ...(file.startsWith('pages/') ? [...text.matchAll(/^(?:interface \w+|type \w+ = \{)/gm)].map((m) => `${file}: ${m[0]}`) : []),
    ]);
    expect(shapes).toEqual([]);
  });
});
