/**
 * cdk-nag wiring. Rule packs run as CDK policy-validation plugins, so any finding that is not
 * acknowledged stops `cdk synth` (and therefore `cdk deploy`).
 *
 * Every acknowledgement goes through `acknowledge` below, on the narrowest construct that
 * carries the finding, with the reason next to it in the code that causes it.
 */
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}

/** Acknowledge findings on one construct (and its children): `{ 'AwsSolutions-S1': 'why' }`. */
export function acknowledge(scope: IConstruct, findings: Readonly<Record<string, string>>): void {
  for (const [id, reason] of Object.entries(findings)) {
    Validations.of(scope).acknowledge({ id, reason });
  }
}
