/** One measured figure; `npm run bench` prints each as one JSON line, then a table. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
  ok?: boolean;
  [extra: string]: unknown;
}

export type Report = (figure: Figure) => void;

export interface Bench {
  name: string;
  /** Name prefixes of the figures it reports, when not only `<name>.` (for --only). */
  prefixes?: string[];
  run(report: Report): Promise<void>;
}

/** Whether `--only <prefix>` selects this bench: the prefix and one of its figure prefixes overlap. */
export function selects(bench: Bench, only: string): boolean {
  return [bench.name, ...(bench.prefixes ?? [])].some(
    (p) => p.startsWith(only) || only.startsWith(`${p}.`) || only === p,
  );
}

export function formatTable(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.name,
    formatValue(f.value),
    f.unit,
    f.target ?? '',
    f.ok === undefined ? '' : f.ok ? 'ok' : 'MISSED',
  ]);
  const header = ['figure', 'value', 'unit', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3);
}
