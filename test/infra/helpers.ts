/**
 * Builds the repayflow CDK app the way `cdk synth` does (context from cdk.json, cdk-nag packs
 * registered), into a temporary output folder, for Template assertions.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { type BuildOptions, buildApp, type RepayflowApp } from '../../infra/aws/repayflow-app.ts';
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
  opsApi: FIXTURE_HANDLER,
  webhooks: FIXTURE_HANDLER,
  sweep: FIXTURE_HANDLER,
  attemptWorker: FIXTURE_HANDLER,
  notifier: FIXTURE_HANDLER,
  reconcile: FIXTURE_HANDLER,
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
  readonly edgeTemplate: Template;
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
  const assembly = app.synth();
  // Template.fromStack would synthesize again; the assembly already holds both templates.
  const templateOf = (stack: Stack) => Template.fromJSON(assembly.getStackByName(stack.stackName).template as Record<string, unknown>);
  return {
    ...built,
    outdir,
    statefulTemplate: templateOf(built.stateful),
    statelessTemplate: templateOf(built.stateless),
    edgeTemplate: templateOf(built.edge),
  };
}

/** The logical id CloudFormation knows a construct's resource by (its L1 default child). */
export function logicalIdOf(construct: IConstruct): string {
  const resource = construct instanceof CfnElement ? construct : construct.node.defaultChild;
  if (!(resource instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(resource).getLogicalId(resource);
}

/** True when a (possibly cross-stack) CloudFormation value points at that logical id. */
export function refersTo(value: unknown, logicalId: string): boolean {
  return (JSON.stringify(value) ?? '').includes(logicalId);
}

/** Resources of one type, as [logicalId, resource] pairs. */
export function resourcesOfType(template: Template, type: string): Array<[string, { Properties: Record<string, any>; [k: string]: any }]> {
  return Object.entries(template.findResources(type)) as Array<[string, { Properties: Record<string, any> }]>;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
