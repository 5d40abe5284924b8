// Prints the README's configuration and metrics tables from the code that defines them
// (`npx tsx scripts/readme-tables.ts`); test/unit/readme.test.ts keeps the README in step.
import { CONFIG_VARIABLES } from '../shared/config';
import { METRICS } from '../shared/domain/metrics';

const row = (v: (typeof CONFIG_VARIABLES)[number]) =>
  `| \`${v.name}\` | ${v.default === '' ? '(none)' : `\`${v.default}\``} | ${v.description} |`;

/** The functions' variables: every row is passed by s.yaml (test/deploy/s-yaml.test.ts). */
export function configTable(): string {
  return CONFIG_VARIABLES.filter((v) => v.passedToFunctions)
    .map(row)
    .join('\n');
}

/** Read by `kro setup` from the deployer's shell only, never given to the functions. */
export function setupTable(): string {
  return CONFIG_VARIABLES.filter((v) => !v.passedToFunctions)
    .map(row)
    .join('\n');
}

export function metricsTable(): string {
  const rows = Object.entries(METRICS).map(
    ([name, m]) =>
      `| \`${name}\` | ${m.dimensions.length ? m.dimensions.map((d) => `\`${d}\``).join(', ') : '(none)'} | ${m.unit} | ${m.meaning} |`,
  );
  return ['| Metric | Dimensions | Unit | Meaning |', '|---|---|---|---|', ...rows].join('\n');
}

if (require.main === module) {
  console.log(configTable());
  console.log();
  console.log(setupTable());
  console.log();
  console.log(metricsTable());
}
