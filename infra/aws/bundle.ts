/**
 * Lambda bundles, built with esbuild's JS API (the CLI that NodejsFunction drives takes no
 * plugins): one minified, tree-shaken ES module per handler that carries its own SDK clients.
 * A few substitutions keep every bundle under 1 MiB without changing behaviour in Lambda:
 * - zod's error-message translations: only English is kept (the API answers in English);
 * - zod's schema compiler and JSON-Schema importer, which repayflow never calls, become
 *   stubs that throw if anything ever does;
 * - the SDK's default credential chain: Lambda hands credentials in environment variables,
 *   so the SSO/STS/INI providers (and the clients they carry) are never used there.
 * The infra tests load every bundle and invoke it, so a stub that was needed would show.
 *
 * Run as a script by the CDK construct: `node --import tsx infra/aws/bundle.ts --entry <file>
 * --outdir <dir> [--metafile]`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';

/** Lets bundled CommonJS dependencies `require` Node built-ins from inside an ES module. */
export const ESM_REQUIRE_SHIM = "import { createRequire as __repayflowCreateRequire } from 'node:module';const require = __repayflowCreateRequire(import.meta.url);";

const STUB = 'repayflow-lambda-stub';

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
    metafile: options.metafile === true,
    logLevel: 'error',
  });
  if (options.metafile) writeFileSync(join(options.outdir, 'index.meta.json'), JSON.stringify(result.metafile));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { entry: { type: 'string' }, outdir: { type: 'string' }, metafile: { type: 'boolean', default: false } } });
  if (!values.entry || !values.outdir) {
    console.error('usage: bundle.ts --entry <handler.ts> --outdir <dir> [--metafile]');
    process.exit(2);
  }
  await bundleHandler({ entry: values.entry, outdir: values.outdir, metafile: values.metafile });
}
