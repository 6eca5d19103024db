/**
 * Bundles the four real handlers exactly as `cdk synth` does (esbuild in node_modules, no
 * Docker) and checks what would be uploaded: one minified ES module per function, carrying its
 * own SDK clients, under 1 MiB so cold starts stay short.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionKey } from '../../infra/aws/stateless-stack.ts';
import { logicalIdOf, removeDir, synthesize, type Synthesized } from './helpers.ts';

const MAX_BUNDLE_BYTES = 1024 * 1024;
const OPTIONAL_SDK_MODULES = ['@aws-sdk/signature-v4-crt', '@aws-sdk/signature-v4a'];

/** The five biggest contributors to a bundle, by package (or source folder), from esbuild's metafile. */
function largestPackages(metafile: string): string {
  const meta = JSON.parse(fs.readFileSync(metafile, 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  const bytes = new Map<string, number>();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, size]) => `${name} ${Math.round(size / 1024)} KiB`)
    .join(', ');
}

describe('Bundles: the real handlers', () => {
  let synthesized: Synthesized;
  const bundles = {} as Record<FunctionKey, { file: string; bytes: number; code: string; largest: string }>;

  beforeAll(() => {
    // The metafile (tests only) tells which packages make a bundle big when the limit is hit.
    synthesized = synthesize({ realEntries: true, bundlingOverrides: { metafile: true } });
    const resources = synthesized.statelessTemplate.toJSON().Resources;
    for (const key of Object.keys(synthesized.stateless.functions) as FunctionKey[]) {
      const s3Key: string = resources[logicalIdOf(synthesized.stateless.functions[key])].Properties.Code.S3Key;
      const file = path.join(synthesized.outdir, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.mjs');
      const code = fs.readFileSync(file, 'utf8');
      bundles[key] = { file, bytes: Buffer.byteLength(code), code, largest: largestPackages(path.join(path.dirname(file), 'index.meta.json')) };
    }
    console.info(
      'bundle sizes (bytes):',
      Object.entries(bundles)
        .map(([key, b]) => `${key}=${b.bytes}`)
        .join(' '),
    );
  }, 120_000);
  afterAll(() => removeDir(synthesized.outdir));

  it.each(['api', 'sweep', 'attemptWorker', 'notifier'] as const)('bundles %s into one ES module under 1 MiB', (key) => {
    // Act
    const bundle = bundles[key];

    // Assess
    expect(path.basename(bundle.file)).toBe('index.mjs');
    expect(bundle.bytes, `${key} bundle is ${bundle.bytes} bytes; largest parts: ${bundle.largest}`).toBeLessThan(MAX_BUNDLE_BYTES);
  });

  it('loads every bundle as Lambda would, and the API bundle answers GET /health', async () => {
    // Prepare: what a deployed function finds in its environment.
    Object.assign(process.env, {
      TABLE_NAME: 'repayflow-table',
      ATTEMPTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/attempts',
      BILLING_EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:billing-events',
      AWS_REGION: 'us-east-1',
    });
    type Loaded = { handler: (event: unknown, context: unknown) => Promise<unknown> };
    const modules: Record<string, Loaded> = Object.fromEntries(
      await Promise.all(Object.entries(bundles).map(async ([key, b]) => [key, (await import(b.file)) as Loaded] as const)),
    );

    // Act
    const response = await modules.api!.handler(
      {
        version: '2.0',
        routeKey: '$default',
        rawPath: '/health',
        rawQueryString: '',
        headers: { host: 'api.example.com' },
        requestContext: { http: { method: 'GET', path: '/health', protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' }, requestId: 'r', routeKey: '$default', stage: '$default', time: '', timeEpoch: 0, domainName: 'api.example.com', accountId: '000000000000', apiId: 'api' },
        isBase64Encoded: false,
      },
      {},
    );

    // Assess: the trimmed libraries (zod locales and compiler, SDK credential chain) were not needed.
    for (const m of Object.values(modules)) expect(typeof m.handler).toBe('function');
    expect(response).toMatchObject({ statusCode: 200, body: '{"status":"ok"}' });
  });

  it('carries the AWS SDK clients inside each bundle instead of importing the runtime\'s copy', () => {
    for (const bundle of Object.values(bundles)) {
      // Act
      const external = [...bundle.code.matchAll(/(?:from\s*|require\(|import\()["'](@aws-sdk\/[^"']+)["']/g)].map((m) => m[1]);

      // Assess: only the optional SigV4a signers stay unresolved; the SDK loads them lazily,
      // inside a try, for multi-region access points, which repayflow does not use.
      expect([...new Set(external)].filter((name) => !OPTIONAL_SDK_MODULES.includes(name!))).toEqual([]);
    }
  });
});
