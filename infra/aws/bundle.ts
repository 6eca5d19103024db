/**
 * Lambda bundles, built with esbuild's JS API (the CLI that NodejsFunction drives takes no
 * plugins): one minified, tree-shaken ES module per handler, plus lazy chunks beside it.
 *
 * The AWS SDK is the Lambda runtime's. Every Node.js runtime from 18 on ships the AWS SDK for
 * JavaScript v3 (each `@aws-sdk/client-*` and `@aws-sdk/util-dynamodb`) and resolves ES module
 * imports of it, so `@aws-sdk/*` is left external: ~340 KiB (the clients, `@smithy/*`, the
 * credential chain) is not in the function's package, and the SDK's own default credential
 * chain is used unchanged. What that costs: the runtime
 * decides the SDK's version and updates it without notice. repayflow uses only long-stable
 * operations (DynamoDB GetItem/Query/Put/Update/TransactWrite with
 * `ReturnValuesOnConditionCheckFailure`, SQS SendMessageBatch, SNS Publish/PublishBatch,
 * Secrets Manager GetSecretValue), which every runtime SDK has; a feature the runtime's copy
 * lacks would need `@aws-sdk/*` bundled again (drop `external` below). Tests and the benchmark
 * load bundles with `node_modules` beside them, where the same imports resolve to the project's
 * copy.
 *
 * What only some requests need is imported with `import()`, so esbuild puts it in a lazy chunk:
 * the phone rules (shared/application/phone-rules.ts), the API's OpenAPI document and its
 * `/docs` renderer, and the payment providers' SDKs.
 *
 * Payment-provider SDKs (Stripe today; Alipay, WeChat Pay) are imported only with `import()`
 * when their keys are configured (functions/_wrappers/provider-adapters.ts), so esbuild puts
 * each in a lazy chunk (`chunks/`): a function loads a provider's SDK only on a deployment that
 * uses that provider, and a new provider's SDK never grows the code every function loads at
 * start. test/infra/bundles.test.ts holds the start-up code (the entry and what it imports
 * statically) to 400 KiB and names each lazy chunk.
 *
 * A few substitutions trim what Lambda never runs:
 * - zod's error-message translations: only English is kept (the API answers in English);
 * - zod's schema compiler and JSON-Schema importer, which repayflow never calls, become
 *   stubs that throw if anything ever does;
 * - zod's JSON-Schema output (`toJSONSchema`, 15-22 KiB: every schema type's converter and
 *   the document builder): nothing in Lambda writes a JSON Schema (the API's OpenAPI document
 *   is built by zod-to-openapi, which reads the checks through `minLength` and the like, kept);
 *   `toJSONSchema()` throws if anything ever calls it;
 * - the Stripe SDK's ~300 API resources: only those in STRIPE_RESOURCES_BUNDLED keep their
 *   methods (the others become empty classes: `stripe.accounts.create` would not exist), which
 *   cuts ~150 KiB. A new call in the Stripe adapter needs its resource listed here;
 *   test/infra/bundles.test.ts checks the adapter's calls against the list;
 * - alipay-sdk's HTTP client: urllib (and undici under it) becomes a small fetch-based
 *   `request` (lambda-shims/urllib-fetch.mjs), and the parts the agreement-deduction adapter
 *   never uses (multipart uploads, certificate mode, AES-encrypted content) become stubs that
 *   throw if anything ever calls them: ~800 KiB less;
 * - libphonenumber-js's mobile metadata loses its formatting rules (each numbering plan's
 *   national formats, half of its ~100 KiB): repayflow only validates E.164 mobile numbers and
 *   names their country (shared/domain/phone.ts, a lazy chunk that use cases load when they
 *   judge a number), which reads the lengths, patterns and prefixes kept; every country stays,
 *   so a number is judged as without the trim (test/infra/phone-bundle.test.ts compares both
 *   on every country's example numbers);
 * - the API's OpenAPI document generator (zod-to-openapi's OpenApiGeneratorV3/V31 and every
 *   schema type's converter, ~22 KB): the document is generated at build time instead
 *   (`prebuiltOpenApiDocument` evaluates functions/api/openapi-document.ts and bundles its JSON
 *   in the lazy chunk the handler imports at the first `/openapi.json` or `/docs`); in the
 *   bundle the generators throw if anything ever calls them. The local server generates the
 *   document live. The infra tests ask the bundled API for both and compare the document;
 * - @hono/zod-openapi's `z`, the zod namespace as one object (and its `.openapi()` installer,
 *   which is handed the namespace): an object keeps every export of zod (~45 KB), so the bundle
 *   hands the installer `ZodType` alone and exports no `z` (repayflow's code imports zod's
 *   own `* as z`; an import of the other `z` fails the build);
 * - the WeChat Pay SDK's APIv2 XML parser (repayflow calls APIv3 only; the SDK builds the v2
 *   client at load, so the stub's classes throw only when used), and the MIME table axios's
 *   form-data carries for file uploads (never sent): ~200 KiB.
 * The infra tests load every bundle and invoke it, so a stub that was needed would show.
 *
 * A package npm installs twice at the same version (Powertools' commons, beside the logger and
 * beside metrics) is bundled once: DEDUPED_PACKAGES resolve to the first copy found.
 *
 * A stage that does not allow the simulated gateway gets bundles without it: the build defines
 * `process.env.REPAYFLOW_SIMULATED_GATEWAY` as "excluded", the composition root's branch that
 * imports it folds away, and its module is never read (functions/_wrappers/gateway.ts).
 *
 * Run as a script by the CDK construct: `node --import tsx infra/aws/bundle.ts --entry <file>
 * --outdir <dir> [--metafile] [--no-simulated-gateway]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';

/** Lets bundled CommonJS dependencies `require` Node built-ins from inside an ES module. */
export const ESM_REQUIRE_SHIM = "import { createRequire as __repayflowCreateRequire } from 'node:module';const require = __repayflowCreateRequire(import.meta.url);";

const STUB = 'repayflow-lambda-stub';

/** Stripe resources the adapter calls (files under stripe/esm/resources/); see the header. */
export const STRIPE_RESOURCES_BUNDLED = ['Customers.js', 'PaymentIntents.js', 'PaymentMethods.js', 'SetupIntents.js'];
const STRIPE_RESOURCES_DIR = `${sep}node_modules${sep}stripe${sep}esm${sep}resources${sep}`;

const JSON_SCHEMA_UNUSED = "() => { throw new Error('zod JSON Schema output is not part of the Lambda bundle'); }";

/** The exports of zod's JSON-Schema output, by module, and what replaces each in the bundle. */
const ZOD_JSON_SCHEMA_EXPORTS: Record<string, Array<[string, string]>> = {
  'core/index.js': [
    ['export * from "./to-json-schema.js";', ''],
    ['export { toJSONSchema } from "./json-schema-processors.js";', `export const toJSONSchema = ${JSON_SCHEMA_UNUSED};`],
    ['export { JSONSchemaGenerator } from "./json-schema-generator.js";', `export class JSONSchemaGenerator { constructor() { (${JSON_SCHEMA_UNUSED})(); } }`],
  ],
  'classic/external.js': [['export { toJSONSchema } from "../core/json-schema-processors.js";', 'export { toJSONSchema } from "../core/index.js";']],
};

/**
 * zod without its JSON-Schema output (see the header): each classic schema type's
 * `processJSONSchema` is not set, `toJSONSchema()` throws, and the namespaces (which
 * `@hono/zod-openapi` hands around whole) export throwing stand-ins, so esbuild drops the
 * converters and the document builder. Throws at build time if zod's source no longer reads as
 * expected, rather than bundle it half trimmed.
 */
export function withoutJsonSchemaOutput(module: string, source: string): string {
  const changed = (what: unknown) => new Error(`zod's ${module} changed (${JSON.stringify(what)}): update withoutJsonSchemaOutput in infra/aws/bundle.ts`);
  if (module !== 'classic/schemas.js') {
    return (ZOD_JSON_SCHEMA_EXPORTS[module] ?? []).reduce((text, [line, stub]) => {
      if (!text.includes(line)) throw changed(line);
      return text.replace(line, stub);
    }, source);
  }
  const converters = /^\s*inst\._zod\.processJSONSchema = \(ctx, json, params\) => processors\.\w+\(inst, ctx, json, params\);$/gm;
  const methods = /\bcreate(?:Standard|To)JSONSchemaMethod\(/g;
  const expected = { converters: source.split('processJSONSchema').length - 1, methods: 3 };
  const found = { converters: source.match(converters)?.length ?? 0, methods: source.match(methods)?.length ?? 0 };
  if (found.converters === 0 || found.converters !== expected.converters || found.methods !== expected.methods) throw changed({ found, expected });
  return source.replace(converters, '').replace(methods, `(() => ${JSON_SCHEMA_UNUSED})(`);
}

const DOCUMENT_GENERATOR_UNUSED =
  "{ constructor() { throw new Error('the OpenAPI document generator is not part of the Lambda bundle: the API serves the document built with it (functions/api/openapi-document.ts)'); } }";

/** What @hono/zod-openapi (1.x) says, and what the Lambda bundle has instead (see the header). */
const HONO_ZOD_OPENAPI_LEAN: Array<[string, string]> = [
  [
    'import { OpenAPIRegistry, OpenApiGeneratorV3, OpenApiGeneratorV31, extendZodWithOpenApi, getOpenApiMetadata } from "@asteasolutions/zod-to-openapi";',
    `import { OpenAPIRegistry, extendZodWithOpenApi, getOpenApiMetadata } from "@asteasolutions/zod-to-openapi"; class OpenApiGeneratorV3 ${DOCUMENT_GENERATOR_UNUSED} class OpenApiGeneratorV31 ${DOCUMENT_GENERATOR_UNUSED}`,
  ],
  ['import { z } from "zod";', 'import * as z from "zod";'],
  ['extendZodWithOpenApi(z);', 'extendZodWithOpenApi({ ZodType: z.ZodType });'],
  ['export { $, OpenAPIHono, createRoute, defineOpenAPIRoute, extendZodWithOpenApi, z };', 'export { $, OpenAPIHono, createRoute, defineOpenAPIRoute, extendZodWithOpenApi };'],
];

/**
 * @hono/zod-openapi without the OpenAPI document generator and without its `z` (see the
 * header). Throws at build time if its source no longer reads as expected, rather than bundle
 * it half trimmed.
 */
export function withoutDocumentGenerator(source: string): string {
  return HONO_ZOD_OPENAPI_LEAN.reduce((text, [line, lean]) => {
    if (text.split(line).length !== 2) throw new Error(`@hono/zod-openapi changed (${JSON.stringify(line)}): update withoutDocumentGenerator in infra/aws/bundle.ts`);
    return text.replace(line, lean);
  }, source);
}

/** The module the API's handler loads its OpenAPI document from; bundled as the document's JSON. */
const OPENAPI_DOCUMENT_MODULE = /[\\/]functions[\\/]api[\\/]openapi-document\.ts$/;

/**
 * The API's OpenAPI document, generated at build time (this process runs TypeScript: tsx, or
 * vitest in the tests) and bundled as JSON in the lazy chunk the handler imports.
 */
export const prebuiltOpenApiDocument: Plugin = {
  name: 'repayflow-openapi-document',
  setup(b) {
    b.onLoad({ filter: OPENAPI_DOCUMENT_MODULE }, async (args) => {
      const document: unknown = ((await import(pathToFileURL(args.path).href)) as { default: unknown }).default;
      if (typeof document !== 'object' || document === null || !('openapi' in document)) throw new Error(`${args.path} exports no OpenAPI document`);
      return { contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(document))});`, loader: 'js' };
    });
  },
};

/** Where a numbering plan keeps its formats in libphonenumber-js's (version 4) metadata. */
const PHONE_FORMATS = 4;

/**
 * libphonenumber-js metadata without the formatting rules: validating and parsing an
 * international number never reads them (formatting does, and falls back to none).
 */
export function phoneMetadataForValidation(metadata: { version: number; countries: Record<string, unknown[]>; nonGeographic?: Record<string, unknown[]> }) {
  if (metadata.version !== 4) throw new Error(`libphonenumber-js metadata version ${metadata.version}: the trim in infra/aws/bundle.ts knows version 4 only`);
  const trim = (plans: Record<string, unknown[]> = {}) => Object.fromEntries(Object.entries(plans).map(([id, plan]) => [id, plan.map((v, i) => (i === PHONE_FORMATS ? 0 : v))]));
  return { ...metadata, countries: trim(metadata.countries), ...(metadata.nonGeographic ? { nonGeographic: trim(metadata.nonGeographic) } : {}) };
}

/** The package a resolved file belongs to: its folder under the innermost node_modules, and its version. */
function packageOf(file: string, name: string): { root: string; version: string } | undefined {
  const marker = `${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return undefined;
  const root = file.slice(0, at + marker.length - 1);
  return { root, version: (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version };
}

/**
 * Packages npm installs more than once at the same version (each beside its dependent):
 * every import resolves to the first copy found, so a bundle carries one.
 */
const DEDUPED_PACKAGES = ['@aws-lambda-powertools/commons'];

export const lambdaLean: Plugin = {
  name: 'repayflow-lambda-lean',
  setup(b) {
    const copies = new Map<string, string>();
    const deduped = new RegExp(`^(${DEDUPED_PACKAGES.map((p) => p.replace(/[/.]/g, '\\$&')).join('|')})(/.*)?$`);
    b.onResolve({ filter: deduped }, async (args) => {
      if (args.pluginData === 'deduped') return undefined;
      const name = deduped.exec(args.path)![1]!;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'deduped' });
      const found = resolved.errors.length === 0 ? packageOf(resolved.path, name) : undefined;
      if (!found) return undefined;
      const key = `${name}@${found.version}`;
      const first = copies.get(key) ?? found.root;
      copies.set(key, first);
      return { ...resolved, path: first + resolved.path.slice(found.root.length) };
    });
    // Adapters only declare classes and functions: one a handler does not compose is dropped
    // with its SDK import, so the sweep does not load the SNS client from the runtime.
    b.onResolve({ filter: /\/adapters\/.+\.ts$/ }, (args) =>
      args.path.startsWith('.') && !args.importer.includes(`${sep}node_modules${sep}`) ? { path: join(args.resolveDir, args.path), sideEffects: false } : undefined,
    );
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => (args.importer.includes('/node_modules/zod/') ? { path: 'zod-locales', namespace: STUB } : undefined));
    b.onResolve({ filter: /\/(compile|from-json-schema)\.js$/ }, (args) =>
      args.importer.includes('/node_modules/zod/') ? { path: args.path.endsWith('compile.js') ? 'zod-compile' : 'zod-from-json-schema', namespace: STUB } : undefined,
    );
    b.onResolve({ filter: /^(urllib|formstream|@fidm\/x509|crypto-js)$/ }, (args) => {
      if (!args.importer.includes(`${sep}node_modules${sep}alipay-sdk${sep}`)) return undefined;
      if (args.path === 'urllib') return { path: fileURLToPath(new URL('./lambda-shims/urllib-fetch.mjs', import.meta.url)) };
      return { path: `alipay-${args.path}`, namespace: STUB };
    });
    const alipayUnused = (what: string) => `() => { throw new Error('alipay-sdk ${what} is not part of the Lambda bundle'); }`;
    b.onLoad({ filter: /^alipay-formstream$/, namespace: STUB }, () => ({
      contents: `export default class FormStream { constructor() { (${alipayUnused('multipart upload')})(); } }`,
    }));
    b.onLoad({ filter: /^alipay-@fidm\/x509$/, namespace: STUB }, () => ({ contents: `export class Certificate { static fromPEM = ${alipayUnused('certificate mode')}; }` }));
    // util.js parses a zero IV at load time; encryption itself is never used (no needEncrypt).
    b.onLoad({ filter: /^alipay-crypto-js$/, namespace: STUB }, () => ({
      contents: `const unused = ${alipayUnused('AES content encryption')}; export default { enc: { Hex: { parse: (hex) => hex }, Base64: { parse: unused }, Utf8: {} }, AES: { encrypt: unused, decrypt: unused } };`,
    }));
    const unused = (name: string) => `() => { throw new Error('zod ${name} is not part of the Lambda bundle'); }`;
    b.onLoad({ filter: /^zod-compile$/, namespace: STUB }, () => ({
      contents: [
        "export const INVALID = Symbol.for('zod.compile.invalid');",
        'export class ZodCompileAsyncError extends Error {}',
        'export class ZodCompileUnsupportedError extends Error {}',
        `export const compile = ${unused('compile')};`,
        `export const withParser = ${unused('withParser')};`,
        `export const compileFn = ${unused('compileFn')};`,
      ].join('\n'),
    }));
    b.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/](classic[\\/](schemas|external)|core[\\/]index)\.js$/ }, (args) => ({
      contents: withoutJsonSchemaOutput(args.path.slice(args.path.lastIndexOf(`zod${sep}v4${sep}`) + 7).replaceAll(sep, '/'), readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
    b.onLoad({ filter: /^zod-from-json-schema$/, namespace: STUB }, () => ({ contents: `export const fromJSONSchema = ${unused('fromJSONSchema')};` }));
    b.onLoad({ filter: /^zod-locales$/, namespace: STUB }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: process.cwd(),
    }));
    b.onLoad({ filter: /[\\/]node_modules[\\/]stripe[\\/]esm[\\/]resources[\\/].+\.js$/ }, (args) => {
      const resource = args.path.slice(args.path.indexOf(STRIPE_RESOURCES_DIR) + STRIPE_RESOURCES_DIR.length);
      if (STRIPE_RESOURCES_BUNDLED.includes(resource)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const classes = [...source.matchAll(/^export class (\w+) extends StripeResource\b/gm)].map((m) => m[1]);
      const base = /^import \{ StripeResource \} from '[^']+';$/m.exec(source)?.[0];
      // Anything else than one resource class (namespaces, helpers) is kept as it is.
      if (classes.length !== 1 || !base || (source.match(/^export /gm) ?? []).length !== 1) return undefined;
      return { contents: `${base}\nexport class ${classes[0]} extends StripeResource {}\n`, loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]node_modules[\\/]libphonenumber-js[\\/]metadata\.mobile\.json\.js$/ }, (args) => ({
      contents: `export default ${JSON.stringify(phoneMetadataForValidation(JSON.parse(readFileSync(args.path.replace(/\.js$/, ''), 'utf8'))))};`,
      loader: 'js',
    }));
    b.onLoad({ filter: /[\\/]node_modules[\\/]@hono[\\/]zod-openapi[\\/]dist[\\/]index\.mjs$/ }, (args) => ({
      contents: withoutDocumentGenerator(readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
    b.onResolve({ filter: /^fast-xml-parser$/ }, (args) =>
      args.importer.includes('/node_modules/wechatpay-axios-plugin/') ? { path: 'wechatpay-xml', namespace: STUB } : undefined,
    );
    b.onResolve({ filter: /^mime-types$/ }, (args) => (args.importer.includes('/node_modules/form-data/') ? { path: 'form-data-mime', namespace: STUB } : undefined));
    b.onLoad({ filter: /^wechatpay-xml$/, namespace: STUB }, () => ({
      contents:
        "class Unused { parse() { throw new Error('WeChat Pay APIv2 (XML) is not part of the Lambda bundle'); } build() { return this.parse(); } } module.exports = { XMLParser: Unused, XMLBuilder: Unused };",
      loader: 'js',
    }));
    b.onLoad({ filter: /^form-data-mime$/, namespace: STUB }, () => ({
      contents: 'module.exports = { lookup: () => false, contentType: () => false, extension: () => false, charset: () => false, types: {}, extensions: {} };',
      loader: 'js',
    }));
  },
};

/** The AWS SDK packages repayflow imports; each ships with every Node.js runtime from 18 on. */
export const RUNTIME_SDK_PACKAGES = ['@aws-sdk/client-dynamodb', '@aws-sdk/util-dynamodb', '@aws-sdk/client-sqs', '@aws-sdk/client-sns', '@aws-sdk/client-secrets-manager'];

interface Metafile {
  outputs: Record<string, { bytes: number; entryPoint?: string; imports: Array<{ path: string; kind: string; external?: boolean }> }>;
}

/**
 * What a bundle costs, from esbuild's metafile: `initBytes`, the code a cold start loads (the
 * entry and the chunks it imports statically), and `lazyBytes`, the chunks loaded only by
 * `import()` (a provider's SDK, when that provider is configured), by file name.
 */
export function bundleSizes(metafile: Metafile): { initBytes: number; totalBytes: number; lazy: Record<string, number> } {
  const js = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.mjs'));
  // Lazy chunks (`import()`) are entry points too: the function's own is the one outside chunks/.
  const entry = js.find(([path, o]) => o.entryPoint !== undefined && !path.includes('chunks/'));
  if (!entry) throw new Error('the metafile names no entry point');
  const loaded = new Set<string>();
  const visit = (path: string) => {
    if (loaded.has(path)) return;
    loaded.add(path);
    for (const i of metafile.outputs[path]?.imports ?? []) if (!i.external && i.kind === 'import-statement') visit(i.path);
  };
  visit(entry[0]);
  const bytes = (paths: string[]) => paths.reduce((sum, p) => sum + (metafile.outputs[p]?.bytes ?? 0), 0);
  const lazy = Object.fromEntries(js.filter(([path]) => !loaded.has(path)).map(([path, o]) => [path.slice(path.lastIndexOf('/') + 1), o.bytes]));
  return { initBytes: bytes([...loaded]), totalBytes: bytes(js.map(([p]) => p)), lazy };
}

export interface BundleOptions {
  entry: string;
  outdir: string;
  /** Also write esbuild's metafile beside the bundle (tests use it to name what makes a bundle big). */
  metafile?: boolean;
  /**
   * False for a stage that does not allow the simulated gateway: no bundle may carry it. The
   * CDK construct always says (and says false unless the stage allows it); default true.
   */
  simulatedGateway?: boolean;
}

/** The runtime's AWS SDK (see the header). */
export const EXTERNAL_MODULES = ['@aws-sdk/*'];

export async function bundleHandler(options: BundleOptions): Promise<Metafile> {
  const result = await build({
    entryPoints: { index: options.entry },
    outdir: options.outdir,
    outExtension: { '.js': '.mjs' },
    // Lazy chunks for what is imported with import() (the payment providers' SDKs).
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    external: EXTERNAL_MODULES,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    treeShaking: true,
    // zh-CN notice templates stay UTF-8 instead of \u escapes.
    charset: 'utf8',
    banner: { js: ESM_REQUIRE_SHIM },
    plugins: [prebuiltOpenApiDocument, lambdaLean],
    define: options.simulatedGateway !== false ? {} : { 'process.env.REPAYFLOW_SIMULATED_GATEWAY': JSON.stringify('excluded') },
    metafile: true,
    logLevel: 'error',
  });
  if (options.metafile) writeFileSync(join(options.outdir, 'index.meta.json'), JSON.stringify(result.metafile));
  return result.metafile as Metafile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { entry: { type: 'string' }, outdir: { type: 'string' }, metafile: { type: 'boolean', default: false }, 'no-simulated-gateway': { type: 'boolean', default: false } },
  });
  if (!values.entry || !values.outdir) {
    console.error('usage: bundle.ts --entry <handler.ts> --outdir <dir> [--metafile] [--no-simulated-gateway]');
    process.exit(2);
  }
  await bundleHandler({ entry: values.entry, outdir: values.outdir, metafile: values.metafile, simulatedGateway: !values['no-simulated-gateway'] });
}
