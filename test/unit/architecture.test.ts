/**
 * The layering the design relies on, checked on the import statements: the domain decides on plain
 * data and imports nothing but itself (and node:crypto, for deterministic hashes, no I/O); the core
 * reaches the cloud only through ports, never the Alibaba adapters or the FC edge; the report is a
 * read model over the domain, not the core.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

function importsOf(dir: string): Array<{ file: string; from: string }> {
  const out: Array<{ file: string; from: string }> = [];
  for (const name of readdirSync(path.join(root, dir), { recursive: true }) as string[]) {
    if (!name.endsWith('.ts')) continue;
    const text = readFileSync(path.join(root, dir, name), 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s+['"]([^'"]+)['"]/g))
      out.push({ file: `${dir}/${name}`, from: m[1] ?? '' });
    for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g))
      out.push({ file: `${dir}/${name}`, from: m[1] ?? '' });
  }
  return out;
}

describe('architecture', () => {
  it('the domain imports nothing outside itself', () => {
    const outside = importsOf('shared/domain').filter((i) => !i.from.startsWith('./') && i.from !== 'node:crypto');
    expect(outside).toEqual([]);
  });

  it('the core imports neither the Alibaba adapters nor the Function Compute edge', () => {
    const edges = importsOf('shared/core').filter(
      (i) => /\/(adapters|fc)\//.test(`${i.from}/`) || i.from.startsWith('@alicloud/'),
    );
    expect(edges).toEqual([]);
  });

  it('the report reads the domain, not the core', () => {
    expect(importsOf('shared/report').filter((i) => i.from.startsWith('../core'))).toEqual([]);
  });

  it('finds the imports it checks (the check itself can fail)', () => {
    expect(importsOf('shared/fc').some((i) => i.from.includes('../core/'))).toBe(true);
  });
});
