/**
 * CDK entry point (`cdk.json`: `npx tsx infra/aws/app.ts`). `npm run synth` checks everything
 * offline, cdk-nag included; `npm run deploy` deploys both stacks.
 */
import { buildApp } from './repayflow-app.ts';

buildApp().app.synth();
