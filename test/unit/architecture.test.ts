/**
 * The dependency rule of the hexagon, checked on every run: the domain imports only itself
 * and pure libraries (zod, libphonenumber-js); use cases import the domain and ports; nothing in the core reaches adapters,
 * functions, infrastructure or the AWS SDK; nothing in shared/ reaches infra/ or functions/. Handlers hold no SDK or
 * Powertools calls: those live in adapters and the composition roots (functions/_wrappers, handler.ts files).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

/** The import as a path from the repository root (package names stay as they are). */
function resolved(file: string, spec: string): string {
  return spec.startsWith('.') ? relative(root, join(root, file, '..', spec)) : spec;
}

function violations(dir: string, allowed: (target: string) => boolean): string[] {
  return sources(dir).flatMap((file) =>
    importsOf(file)
      .map((spec) => resolved(file, spec))
      .filter((t) => !allowed(t))
      .map((t) => `${file} → ${t}`),
  );
}

describe('Architecture: the dependency rule', () => {
  it('keeps shared/domain pure: only itself and libraries without I/O', () => {
    const pure = new Set(['zod', 'libphonenumber-js', 'libphonenumber-js/mobile']);
    expect(violations('shared/domain', (t) => t.startsWith('shared/domain/') || pure.has(t))).toEqual([]);
  });

  it('lets use cases reach only the domain, ports and each other', () => {
    const allowed = (t: string) => ['shared/domain/', 'shared/ports/', 'shared/application/'].some((p) => t.startsWith(p)) || t.startsWith('node:');
    expect(violations('shared/application', allowed)).toEqual([]);
  });

  it('keeps ports free of adapters and the SDK', () => {
    expect(violations('shared/ports', (t) => t.startsWith('shared/domain/') || t.startsWith('shared/ports/'))).toEqual([]);
  });

  it('keeps shared/ free of infrastructure and of the functions that use it', () => {
    expect(violations('shared', (t) => !t.startsWith('infra/') && !t.startsWith('functions/'))).toEqual([]);
  });

  it('keeps Powertools inside adapters and composition roots', () => {
    const powertools = (t: string) => t.startsWith('@aws-lambda-powertools/');
    const offenders = [
      'shared/domain',
      'shared/application',
      'shared/ports',
      'shared/config',
      'functions/api',
      'functions/sweep',
      'functions/attempt-worker',
      'functions/notifier',
      'functions/reconcile',
    ].flatMap((dir) => violations(dir, (t) => !powertools(t)));
    expect(offenders).toEqual([]);
  });

  it('keeps the AWS SDK inside adapters, composition roots and infrastructure', () => {
    const sdk = (t: string) => t.startsWith('@aws-sdk/');
    const offenders = ['shared/domain', 'shared/application', 'shared/ports', 'functions/api', 'functions/sweep', 'functions/attempt-worker', 'functions/notifier'].flatMap((dir) =>
      violations(dir, (t) => !sdk(t)),
    );
    expect(offenders).toEqual([]);
  });

  it('models the table in-house: electrodb is only the reference of the item-format test', () => {
    const offenders = ['shared', 'functions', 'infra', 'bench'].flatMap((dir) => violations(dir, (t) => t !== 'electrodb'));
    expect(offenders).toEqual([]);
  });

  it('sends DynamoDB requests with the low-level client only (its resolved middleware is shared between requests; the document client cannot share it)', () => {
    const offenders = ['shared', 'functions', 'infra', 'bench'].flatMap((dir) => violations(dir, (t) => t !== '@aws-sdk/lib-dynamodb'));
    expect(offenders).toEqual([]);
  });
});
