/**
 * Builds the repayflow CDK app the way `cdk synth` does (context from cdk.json, cdk-nag packs
 * registered), into a temporary output folder, for Template assertions.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, type BuildOptions, type RepayflowApp } from '../../infra/aws/repayflow-app.ts';
import type { FunctionKey } from '../../infra/aws/stateless-stack.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURE_HANDLER = path.join(ROOT, 'test/infra/fixtures/handler.ts');

/** The context `cdk synth` would pass: cdk.json's feature flags and defaults, plus overrides. */
export function cdkJsonContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return { ...cdkJson.context, ...overrides };
}

export const FIXTURE_ENTRIES: Record<FunctionKey, string> = {
  api: FIXTURE_HANDLER,
  sweep: FIXTURE_HANDLER,
  attemptWorker: FIXTURE_HANDLER,
  notifier: FIXTURE_HANDLER,
};

export interface SynthOptions extends Omit<BuildOptions, 'app' | 'appProps'> {
  readonly context?: Record<string, unknown>;
  /** Bundle the real handlers in functions/ instead of the fixture. */
  readonly realEntries?: boolean;
}

export interface Synthesized extends RepayflowApp {
  readonly outdir: string;
  readonly stateful: RepayflowApp['stateful'];
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
}

/** Builds and synthesizes once (validation plugins included: throws on any cdk-nag finding). */
export function synthesize(options: SynthOptions = {}): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'repayflow-cdk-'));
  const app = new App({ outdir, context: cdkJsonContext(options.context) });
  const built = buildApp({
    app,
    entries: options.realEntries ? undefined : FIXTURE_ENTRIES,
    webDistPath: options.webDistPath ?? path.join(outdir, 'no-web-dist'),
    bundlingOverrides: options.bundlingOverrides,
  });
  app.synth();
  return {
    ...built,
    outdir,
    statefulTemplate: templateOf(built.stateful),
    statelessTemplate: templateOf(built.stateless),
  };
}

function templateOf(stack: Stack): Template {
  // Template.fromStack would synthesize again; the assembly already holds the template.
  return Template.fromJSON(JSON.parse(fs.readFileSync(path.join(stack.node.root instanceof App ? (stack.node.root as App).outdir : '', stack.templateFile), 'utf8')));
}

/** Resources of one type, as [logicalId, resource] pairs. */
export function resourcesOfType(template: Template, type: string): Array<[string, { Properties: Record<string, any>; [k: string]: any }]> {
  return Object.entries(template.findResources(type)) as Array<[string, { Properties: Record<string, any> }]>;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
