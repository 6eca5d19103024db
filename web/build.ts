/**
 * Builds the portal into `web/dist/`: one bundled, minified script and one stylesheet under
 * `assets/` with content hashes in their names (cached for good by CloudFront), and an
 * `index.html` that names them (revalidated on every load). Takes well under a second.
 *
 *   npm run build:web            (also run by `npm start`; tests call `buildPortal()`)
 *
 * Files are written to a temporary name and renamed, so a server reading `dist/` while
 * another build runs never serves half a file.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const WEB = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = path.join(WEB, 'dist');

export interface BuildResult {
  outdir: string;
  files: string[];
  bytes: number;
  ms: number;
}

export async function buildPortal(options: { outdir?: string; minify?: boolean } = {}): Promise<BuildResult> {
  const started = performance.now();
  const outdir = options.outdir ?? WEB_DIST;
  const result = await build({
    entryPoints: { app: path.join(WEB, 'src/main.ts'), styles: path.join(WEB, 'src/styles.css') },
    bundle: true,
    format: 'esm',
    target: ['es2022', 'chrome100', 'safari15', 'firefox100'],
    minify: options.minify ?? true,
    sourcemap: 'linked',
    entryNames: 'assets/[name]-[hash]',
    outdir,
    write: false,
    metafile: true,
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const outputs = result.outputFiles.map((f) => ({ rel: path.relative(outdir, f.path).split(path.sep).join('/'), contents: f.contents }));
  const js = outputs.find((o) => o.rel.endsWith('.js'))?.rel;
  const css = outputs.find((o) => o.rel.endsWith('.css'))?.rel;
  if (!js || !css) throw new Error('the portal build produced no script or no stylesheet');
  const template = await readFile(path.join(WEB, 'index.html'), 'utf8');
  const html = template.replace('%JS%', `/${js}`).replace('%CSS%', `/${css}`);
  const files = [...outputs, { rel: 'index.html', contents: new TextEncoder().encode(html) }];

  await mkdir(path.join(outdir, 'assets'), { recursive: true });
  // Assets first, the page that names them last.
  for (const file of files) await writeAtomically(path.join(outdir, file.rel), file.contents);
  const keep = new Set(files.map((f) => f.rel));
  for (const name of await readdir(path.join(outdir, 'assets'))) {
    if (!keep.has(`assets/${name}`) && !name.includes('.tmp-')) await rm(path.join(outdir, 'assets', name), { force: true });
  }
  return { outdir, files: files.map((f) => f.rel), bytes: files.reduce((s, f) => s + f.contents.byteLength, 0), ms: Math.round(performance.now() - started) };
}

async function writeAtomically(file: string, contents: Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  await writeFile(tmp, contents);
  await rename(tmp, file);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await buildPortal();
  console.log(`portal built into ${path.relative(process.cwd(), r.outdir) || '.'} in ${r.ms} ms (${(r.bytes / 1024).toFixed(1)} KiB): ${r.files.join(', ')}`);
}
