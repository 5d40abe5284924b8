// Prints the README's configuration and metrics tables from the code that defines them
// (`npx tsx scripts/readme-tables.ts`); test/unit/readme.test.ts keeps the README in step.
import { CONFIG_VARIABLES } from '../shared/config';
import { METRICS } from '../shared/domain/metrics';

export function configTable(): string {
  return CONFIG_VARIABLES.map((v) => `| \`${v.name}\` | ${v.default === '' ? '(none)' : `\`${v.default}\``} | ${v.description} |`).join('\n');
}

export function metricsTable(): string {
  const rows = Object.entries(METRICS).map(
    ([name, m]) => `| \`${name}\` | ${m.dimensions.length ? m.dimensions.map((d) => `\`${d}\``).join(', ') : '(none)'} | ${m.unit} | ${m.meaning} |`,
  );
  return ['| Metric | Dimensions | Unit | Meaning |', '|---|---|---|---|', ...rows].join('\n');
}

if (require.main === module) {
  console.log(configTable());
  console.log();
  console.log(metricsTable());
}
