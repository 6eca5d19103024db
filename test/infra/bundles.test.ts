/**
 * Bundles the real handlers exactly as `cdk synth` does (esbuild in node_modules, no Docker)
 * and checks what would be uploaded: one minified ES module per function that imports the AWS
 * SDK from the Lambda runtime, with the payment providers' SDKs, the phone rules
 * (libphonenumber's metadata) and the OpenAPI document in lazy chunks, and whose start-up code
 * (the entry and what it imports statically) stays under 400 KiB so cold starts stay short.
 *
 * Built for a stage with the real providers (the simulated gateway must be absent from every
 * bundle) and for the dev stage that allows the simulated one.
 */
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/api/app.ts';
import { bundleSizes, RUNTIME_SDK_PACKAGES, STRIPE_RESOURCES_BUNDLED, withoutDocumentGenerator } from '../../infra/aws/bundle.ts';
import type { FunctionKey } from '../../infra/aws/stateless-stack.ts';
import type { Deps } from '../../shared/application/deps.ts';
import { logicalIdOf, ROOT, removeDir, type Synthesized, synthesize } from './helpers.ts';

const KiB = 1024;
/** Start-up code per function: the goal, for every function. */
const MAX_INIT_BYTES: Record<FunctionKey, number> = {
  api: 400 * KiB,
  opsApi: 400 * KiB,
  webhooks: 400 * KiB,
  sweep: 400 * KiB,
  attemptWorker: 400 * KiB,
  notifier: 400 * KiB,
  reconcile: 400 * KiB,
};
/** Text only libphonenumber's metadata carries, only zod-to-openapi's document generator, and only the route groups of the other functions. */
const PHONE_METADATA_MARKER = 'country_calling_codes';
const DOCUMENT_GENERATOR_MARKER = 'Conflicting location for parameter';
const OPS_ROUTE_MARKER = 'listDeadLetterQueues';
const WEBHOOK_ROUTE_MARKER = 'webhook repeat ignored';
/** Text only the simulated gateway's module carries. */
const SIMULATED_MARKERS = ['SimulatedGateway', 'tok_insufficient_funds'];

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

type Bundles = Record<FunctionKey, { file: string; bytes: number; code: string; chunks: string; lazy: Record<string, number>; largest: string; inputs: string[] }>;

function bundlesOf(synthesized: Synthesized): Bundles {
  const bundles = {} as Bundles;
  const resources = synthesized.statelessTemplate.toJSON().Resources;
  for (const key of Object.keys(synthesized.stateless.functions) as FunctionKey[]) {
    const s3Key: string = resources[logicalIdOf(synthesized.stateless.functions[key])].Properties.Code.S3Key;
    const file = path.join(synthesized.outdir, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.mjs');
    const code = fs.readFileSync(file, 'utf8');
    const metafile = path.join(path.dirname(file), 'index.meta.json');
    const sizes = bundleSizes(JSON.parse(fs.readFileSync(metafile, 'utf8')));
    const chunkDir = path.join(path.dirname(file), 'chunks');
    const chunks = fs.existsSync(chunkDir)
      ? fs
          .readdirSync(chunkDir)
          .map((f) => fs.readFileSync(path.join(chunkDir, f), 'utf8'))
          .join('\n')
      : '';
    const inputs = Object.keys((JSON.parse(fs.readFileSync(metafile, 'utf8')) as { inputs: Record<string, unknown> }).inputs);
    bundles[key] = { file, bytes: sizes.initBytes, code, chunks, lazy: sizes.lazy, largest: largestPackages(metafile), inputs };
  }
  console.info(
    `bundle sizes (bytes), stage ${synthesized.config.stage}:`,
    Object.entries(bundles)
      .map(([key, b]) => `${key}=${b.bytes}`)
      .join(' '),
  );
  return bundles;
}

describe('Bundles: the real handlers, for a stage with the real providers', () => {
  let synthesized: Synthesized;
  let bundles: Bundles;

  beforeAll(() => {
    // The metafile (tests only) tells which packages make a bundle big when the limit is hit.
    synthesized = synthesize({ realEntries: true, bundlingOverrides: { metafile: true }, context: { stage: 'staging' } });
    bundles = bundlesOf(synthesized);
  }, 240_000);
  afterAll(() => removeDir(synthesized.outdir));

  it('carries no simulated gateway in any bundle', () => {
    expect(synthesized.config).toMatchObject({ paymentGateway: 'providers', allowSimulatedGateway: false });
    for (const [key, bundle] of Object.entries(bundles)) {
      for (const marker of SIMULATED_MARKERS) expect(bundle.code.includes(marker), `${key} carries ${marker}`).toBe(false);
    }
  });

  it.each(['api', 'opsApi', 'webhooks', 'sweep', 'attemptWorker', 'notifier', 'reconcile'] as const)(
    'bundles %s into one ES module whose start-up code is within its limit',
    (key) => {
      // Act
      const bundle = bundles[key];

      // Assess
      expect(path.basename(bundle.file)).toBe('index.mjs');
      expect(bundle.bytes, `${key} starts with ${bundle.bytes} bytes; largest parts: ${bundle.largest}`).toBeLessThanOrEqual(MAX_INIT_BYTES[key]);
    },
  );

  it("carries neither zod's JSON-Schema output nor a second copy of a package at the same version", () => {
    for (const [key, bundle] of Object.entries(bundles)) {
      // Act
      const code = `${bundle.code}\n${bundle.chunks}`;
      const commons = new Map<string, Set<string>>();
      for (const input of bundle.inputs) {
        const root = /^(.*\/node_modules\/@aws-lambda-powertools\/commons)\//.exec(input)?.[1];
        if (!root) continue;
        const version = (JSON.parse(fs.readFileSync(path.resolve(ROOT, root, 'package.json'), 'utf8')) as { version: string }).version;
        commons.set(version, new Set([...(commons.get(version) ?? []), root]));
      }

      // Assess
      expect(code, `${key} carries zod's toJSONSchema`).not.toContain('Non-representable type encountered');
      for (const [version, roots] of commons) expect([...roots], `${key} carries @aws-lambda-powertools/commons@${version} more than once`).toHaveLength(1);
    }
  });

  it('loads the Stripe SDK only from a lazy chunk, in the functions that call providers', () => {
    for (const key of ['api', 'opsApi', 'webhooks', 'attemptWorker', 'reconcile'] as const) {
      expect(bundles[key].code.includes('api.stripe.com'), `${key} start-up code carries Stripe`).toBe(false);
      expect(bundles[key].chunks, `${key} has no Stripe chunk`).toContain('api.stripe.com');
    }
    for (const key of ['sweep', 'notifier'] as const) expect(bundles[key].chunks + bundles[key].code).not.toContain('api.stripe.com');
  });

  it("loads the phone rules only from a lazy chunk, and bundles no document generator and no other group's routes in the API's functions", () => {
    // Assess: a profile, a plan or an SMS loads the phone rules; no other request or message does.
    for (const [key, bundle] of Object.entries(bundles)) expect(bundle.code.includes(PHONE_METADATA_MARKER), `${key} start-up code carries the phone metadata`).toBe(false);
    for (const key of ['api', 'notifier'] as const) expect(bundles[key].chunks, `${key} has no phone rules chunk`).toContain(PHONE_METADATA_MARKER);
    expect(bundles.sweep.chunks + bundles.sweep.code).not.toContain(PHONE_METADATA_MARKER);
    // The document is built at bundle time (infra/aws/bundle.ts): no bundle carries the generator.
    for (const [key, bundle] of Object.entries(bundles)) expect(`${bundle.code}${bundle.chunks}`, `${key} carries the document generator`).not.toContain(DOCUMENT_GENERATOR_MARKER);
    // Each function of the API carries its own route group only.
    expect(bundles.api.code).not.toContain(OPS_ROUTE_MARKER);
    expect(bundles.api.code).not.toContain(WEBHOOK_ROUTE_MARKER);
    expect(bundles.opsApi.code).toContain(OPS_ROUTE_MARKER);
    expect(bundles.opsApi.code).not.toContain(WEBHOOK_ROUTE_MARKER);
    expect(bundles.webhooks.code).toContain(WEBHOOK_ROUTE_MARKER);
    expect(bundles.webhooks.code).not.toContain(OPS_ROUTE_MARKER);
  });

  it("loads every bundle as Lambda would: the API bundle answers GET /health, /openapi.json and /docs, and each of the API's functions its own routes only", async () => {
    // Prepare: what a deployed function finds in its environment (no provider keys: every
    // method type unavailable, which needs no network).
    Object.assign(process.env, {
      PAYMENT_GATEWAY: 'providers',
      TABLE_NAME: 'repayflow-table',
      ATTEMPTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/attempts',
      BILLING_EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:billing-events',
      AWS_REGION: 'us-east-1',
    });
    // The runtime's AWS SDK: here the project's copy, found through node_modules beside the assets.
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(synthesized.outdir, 'node_modules'), 'dir');
    type Loaded = { handler: (event: unknown, context: unknown) => Promise<unknown> };
    const modules: Record<string, Loaded> = Object.fromEntries(
      await Promise.all(Object.entries(bundles).map(async ([key, b]) => [key, (await import(b.file)) as Loaded] as const)),
    );

    const request = (key: 'api' | 'opsApi' | 'webhooks', method: string, rawPath: string, body?: string) =>
      modules[key]!.handler(
        {
          version: '2.0',
          routeKey: '$default',
          rawPath,
          rawQueryString: '',
          headers: { host: 'api.example.com', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body }),
          requestContext: {
            http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' },
            requestId: 'r',
            routeKey: '$default',
            stage: '$default',
            time: '',
            timeEpoch: 0,
            domainName: 'api.example.com',
            accountId: '000000000000',
            apiId: 'api',
          },
          isBase64Encoded: false,
        },
        {
          awsRequestId: 'req-1',
          functionName: key,
          invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${key}`,
          memoryLimitInMB: '1024',
          functionVersion: '$LATEST',
        },
      ) as Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;
    const get = (rawPath: string) => request('api', 'GET', rawPath);

    // Act
    const health = await get('/health');
    const openapi = await get('/openapi.json');
    const docs = await get('/docs');

    // Assess: the trimmed libraries (zod locales, compiler and JSON-Schema output) were not needed, and the bundled document is the one the source describes.
    for (const m of Object.values(modules)) expect(typeof m.handler).toBe('function');
    expect(health).toMatchObject({ statusCode: 200, body: '{"status":"ok"}' });
    expect(openapi.statusCode).toBe(200);
    expect(JSON.parse(openapi.body)).toEqual(JSON.parse(JSON.stringify(openApiDocument({} as Deps))));
    expect(docs).toMatchObject({ statusCode: 200, headers: { 'content-type': expect.stringContaining('text/html') } });
    expect(docs.body).toContain('/v1/customers');
    // The reference page's renderer is a lazy chunk: no other request starts with it.
    expect(bundles.api.code).not.toContain('operations. Machine-readable');
    expect(bundles.api.chunks).toContain('operations. Machine-readable');

    // Act: each function of the API, asked for its own routes and for another group's.
    const opsAgenda = await request('opsApi', 'GET', '/v1/ops/agenda');
    const opsHealth = await request('opsApi', 'GET', '/health');
    const webhook = await request('webhooks', 'POST', '/v1/webhooks/simulated', '{}');
    const webhooksCustomers = await request('webhooks', 'GET', '/v1/customers/cus_1');
    const apiAgenda = await request('api', 'GET', '/v1/ops/agenda');

    // Assess: its routes are there (behind their token or signature), the others' are not.
    expect(opsAgenda).toMatchObject({ statusCode: 401 });
    expect(opsHealth).toMatchObject({ statusCode: 404 });
    expect(JSON.parse(webhook.body)).toMatchObject({ status: 503, code: 'WEBHOOK.NOT_CONFIGURED' });
    // The webhooks function authenticates no caller: every other /v1 path is refused.
    expect(webhooksCustomers).toMatchObject({ statusCode: 401 });
    expect(apiAgenda).toMatchObject({ statusCode: 401 });
  }, 180_000);

  it('imports the AWS SDK from the Lambda runtime, and nothing else from outside the bundle', () => {
    for (const [key, bundle] of Object.entries(bundles)) {
      // Act
      const external = [...`${bundle.code}\n${bundle.chunks}`.matchAll(/(?:from\s*|require\(|import\()["']([@a-z][^"']*)["']/g)].map((m) => m[1]!);

      // Assess: packages the runtime ships, and Node.js built-ins.
      const unknown = [...new Set(external)].filter((name) => !RUNTIME_SDK_PACKAGES.includes(name) && !name.startsWith('node:') && !builtinModules.includes(name.split('/')[0]!));
      expect(unknown, `${key} imports packages the runtime lacks`).toEqual([]);
    }
  });
});

describe('Bundles: a stage that allows the simulated gateway', () => {
  let synthesized: Synthesized;
  let bundles: Bundles;

  beforeAll(() => {
    synthesized = synthesize({ realEntries: true, bundlingOverrides: { metafile: true } });
    bundles = bundlesOf(synthesized);
  }, 240_000);
  afterAll(() => removeDir(synthesized.outdir));

  it('carries the simulated gateway in the functions that charge', () => {
    expect(synthesized.config).toMatchObject({ stage: 'dev', paymentGateway: 'simulated', allowSimulatedGateway: true });
    // In a lazy chunk: loaded only where PAYMENT_GATEWAY=simulated.
    for (const key of ['api', 'attemptWorker'] as const) expect(bundles[key].chunks).toContain('tok_insufficient_funds');
  });

  it.each(['api', 'opsApi', 'webhooks', 'sweep', 'attemptWorker', 'notifier'] as const)('bundles %s under its size limit', (key) => {
    expect(bundles[key].bytes, `${key} starts with ${bundles[key].bytes} bytes; largest parts: ${bundles[key].largest}`).toBeLessThanOrEqual(MAX_INIT_BYTES[key]);
  });
});

describe('Bundles: the Stripe SDK trimmed to what the adapter calls', () => {
  const adapterDir = path.join(ROOT, 'shared/adapters/gateway/stripe');

  it.skipIf(!fs.existsSync(adapterDir))('keeps every Stripe resource the adapter calls', () => {
    const source = fs
      .readdirSync(adapterDir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => fs.readFileSync(path.join(adapterDir, f), 'utf8'))
      .join('\n');
    const used = new Set([...source.matchAll(/\bstripe\.([a-z][A-Za-z]+)\.[a-z]/g)].map((m) => `${m[1]![0]!.toUpperCase()}${m[1]!.slice(1)}.js`));
    // `stripe.webhooks` is a helper, not an API resource.
    used.delete('Webhooks.js');
    expect([...used].filter((r) => !STRIPE_RESOURCES_BUNDLED.includes(r))).toEqual([]);
  });
});

describe('Bundles: @hono/zod-openapi without the document generator', () => {
  const source = fs.readFileSync(path.join(ROOT, 'node_modules/@hono/zod-openapi/dist/index.mjs'), 'utf8');

  it('hands the .openapi() installer ZodType alone, exports no z, and throws where a document would be generated', () => {
    // Act
    const lean = withoutDocumentGenerator(source);

    // Assess
    expect(lean).toContain('extendZodWithOpenApi({ ZodType: z.ZodType });');
    expect(lean).toContain('import * as z from "zod";');
    expect(lean).not.toMatch(/export \{[^}]*\bz \};/);
    expect(/import \{([^}]*)\} from "@asteasolutions\/zod-to-openapi"/.exec(lean)?.[1]).not.toMatch(/OpenApiGenerator/);
    expect(lean).toContain('the OpenAPI document generator is not part of the Lambda bundle');
  });

  it('refuses to bundle a version whose source no longer reads as expected', () => {
    expect(() => withoutDocumentGenerator(source.replace('extendZodWithOpenApi(z);', 'extendZodWithOpenApi(z, {});'))).toThrow(/@hono\/zod-openapi changed/);
  });
});
