/**
 * Phone numbers as the Lambda bundles judge them. infra/aws/bundle.ts bundles libphonenumber's
 * mobile metadata without its formatting rules (half its size); validating an E.164 number and
 * naming its country must not notice: bundled with the same plugin, the phone rules
 * (shared/domain/phone.ts, the lazy chunk use cases load) answer as the unbundled module does,
 * and profile.ts's `checkPhone` given either judges alike, for every country's example mobile
 * number and for near misses of each (a digit short, a digit long, another leading digit).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import examples from 'libphonenumber-js/examples.mobile.json' with { type: 'json' };
import { getCountryCallingCode } from 'libphonenumber-js/mobile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaLean } from '../../infra/aws/bundle.ts';
import * as unbundled from '../../shared/domain/phone.ts';
import { checkPhone } from '../../shared/domain/profile.ts';

describe('Phone numbers in the Lambda bundle', () => {
  let dir: string;
  let bundled: typeof unbundled;
  let metadataBytes: number;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'repayflow-phone-bundle-'));
    const outfile = path.join(dir, 'phone.mjs');
    const result = await build({
      entryPoints: [path.resolve('shared/domain/phone.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      plugins: [lambdaLean],
      metafile: true,
      logLevel: 'error',
    });
    metadataBytes =
      Object.entries(result.metafile.outputs[path.relative(process.cwd(), outfile)]?.inputs ?? {}).find(([input]) => input.endsWith('metadata.mobile.json.js'))?.[1]
        .bytesInOutput ?? 0;
    bundled = (await import(pathToFileURL(outfile).href)) as typeof unbundled;
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('carries the mobile metadata without its formatting rules', () => {
    // The whole mobile metadata is ~98 KB minified; without the national formats, ~48 KB.
    expect(metadataBytes).toBeGreaterThan(0);
    expect(metadataBytes).toBeLessThan(60_000);
  });

  it("judges every country's example mobile number, and near misses of it, as the unbundled module does", () => {
    const numbers = Object.entries(examples as Record<string, string>).flatMap(([country, national]) => {
      const callingCode = countryCallingCode(country);
      const full = `+${callingCode}${national}`;
      const other = `+${callingCode}${(Number(national[0]) + 1) % 10}${national.slice(1)}`;
      return [full, full.slice(0, -1), `${full}0`, other];
    });
    expect(numbers.length).toBeGreaterThan(900);
    const judge = (m: typeof unbundled) => numbers.map((n) => [n, m.isMobileNumber(n), m.phoneCountry(n) ?? null, checkPhone(n, m).ok]);
    expect(judge(bundled)).toEqual(judge(unbundled));
    // Every example is a valid mobile number (of its country, or of one sharing its plan: AX and FI).
    const invalid = Object.entries(examples as Record<string, string>).filter(([country, national]) => !bundled.isMobileNumber(`+${countryCallingCode(country)}${national}`));
    expect(invalid).toEqual([]);
  });
});

function countryCallingCode(country: string): string {
  return getCountryCallingCode(country as Parameters<typeof getCountryCallingCode>[0]);
}
