/**
 * Lambda bundles, built with esbuild's JS API (the CLI that NodejsFunction drives takes no
 * plugins): one minified, tree-shaken ES module per handler that carries its own SDK clients.
 * A few substitutions keep every bundle under 1 MiB without changing behaviour in Lambda:
 * - zod's error-message translations: only English is kept (the API answers in English);
 * - zod's schema compiler and JSON-Schema importer, which repayflow never calls, become
 *   stubs that throw if anything ever does;
 * - the SDK's default credential chain: Lambda hands credentials in environment variables,
 *   so the SSO/STS/INI providers (and the clients they carry) are never used there;
 * - the Stripe SDK's ~300 API resources: only those in STRIPE_RESOURCES_BUNDLED keep their
 *   methods (the others become empty classes: `stripe.accounts.create` would not exist), which
 *   cuts ~150 KiB. A new call in the Stripe adapter needs its resource listed here;
 *   test/infra/bundles.test.ts checks the adapter's calls against the list;
 * - the WeChat Pay SDK's APIv2 XML parser (repayflow calls APIv3 only; the SDK builds the v2
 *   client at load, so the stub's classes throw only when used), and the MIME table axios's
 *   form-data carries for file uploads (never sent): ~200 KiB.
 * The infra tests load every bundle and invoke it, so a stub that was needed would show.
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
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';

/** Lets bundled CommonJS dependencies `require` Node built-ins from inside an ES module. */
export const ESM_REQUIRE_SHIM = "import { createRequire as __repayflowCreateRequire } from 'node:module';const require = __repayflowCreateRequire(import.meta.url);";

const STUB = 'repayflow-lambda-stub';

/** Stripe resources the adapter calls (files under stripe/esm/resources/); see the header. */
export const STRIPE_RESOURCES_BUNDLED = ['Customers.js', 'PaymentIntents.js', 'PaymentMethods.js', 'SetupIntents.js'];
const STRIPE_RESOURCES_DIR = `${sep}node_modules${sep}stripe${sep}esm${sep}resources${sep}`;

export const lambdaLean: Plugin = {
  name: 'repayflow-lambda-lean',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => (args.importer.includes('/node_modules/zod/') ? { path: 'zod-locales', namespace: STUB } : undefined));
    b.onResolve({ filter: /\/(compile|from-json-schema)\.js$/ }, (args) =>
      args.importer.includes('/node_modules/zod/') ? { path: args.path.endsWith('compile.js') ? 'zod-compile' : 'zod-from-json-schema', namespace: STUB } : undefined,
    );
    b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({ path: 'credentials', namespace: STUB }));
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
    b.onResolve({ filter: /^fast-xml-parser$/ }, (args) => (args.importer.includes('/node_modules/wechatpay-axios-plugin/') ? { path: 'wechatpay-xml', namespace: STUB } : undefined));
    b.onResolve({ filter: /^mime-types$/ }, (args) => (args.importer.includes('/node_modules/form-data/') ? { path: 'form-data-mime', namespace: STUB } : undefined));
    b.onLoad({ filter: /^wechatpay-xml$/, namespace: STUB }, () => ({
      contents: "class Unused { parse() { throw new Error('WeChat Pay APIv2 (XML) is not part of the Lambda bundle'); } build() { return this.parse(); } } module.exports = { XMLParser: Unused, XMLBuilder: Unused };",
      loader: 'js',
    }));
    b.onLoad({ filter: /^form-data-mime$/, namespace: STUB }, () => ({ contents: 'module.exports = { lookup: () => false, contentType: () => false, extension: () => false, charset: () => false, types: {}, extensions: {} };', loader: 'js' }));
    b.onLoad({ filter: /^credentials$/, namespace: STUB }, () => ({
      contents: "import { fromEnv } from '@aws-sdk/credential-provider-env'; export const defaultProvider = (init = {}) => fromEnv(init);",
      resolveDir: process.cwd(),
    }));
  },
};

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

export async function bundleHandler(options: BundleOptions): Promise<void> {
  const result = await build({
    entryPoints: [options.entry],
    outfile: join(options.outdir, 'index.mjs'),
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
    plugins: [lambdaLean],
    define: options.simulatedGateway !== false ? {} : { 'process.env.REPAYFLOW_SIMULATED_GATEWAY': JSON.stringify('excluded') },
    metafile: options.metafile === true,
    logLevel: 'error',
  });
  if (options.metafile) writeFileSync(join(options.outdir, 'index.meta.json'), JSON.stringify(result.metafile));
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
