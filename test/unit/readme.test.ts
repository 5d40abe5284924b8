import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../shared/config';
import { ALERT_NAMES } from '../../shared/domain/alert-catalog';
import { CHECK_IDS } from '../../shared/domain/types';
import { configTable, metricsTable, setupTable } from '../../scripts/readme-tables';

const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('the README', () => {
  it('shows the quick start and the test command exactly', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });

  it('documents every configuration variable with its current default', () => {
    expect(readme).toContain(configTable());
    expect(readme).toContain(setupTable());
    for (const v of CONFIG_VARIABLES) expect(readme).toContain(`\`${v.name}\``);
  });

  it('documents every metric with its dimensions', () => {
    expect(readme).toContain(metricsTable());
  });

  it('documents every alert name and every check id', () => {
    for (const name of ALERT_NAMES) expect(readme).toContain(`\`${name}\``);
    for (const id of CHECK_IDS) expect(readme).toContain(`\`${id}\``);
  });
});
