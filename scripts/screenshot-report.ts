/**
 * Renders the HTML report in headless Chromium and saves a PNG, to show that the report's
 * charts draw in a real browser (issue 6 acceptance).
 *
 *   npx tsx scripts/screenshot-report.ts [REPORT.html] [OUT.png]
 *
 * Defaults: reports/kro-demo-report.html (run `npm start` first to write it) and
 * reports/kro-demo-report.png. Chromium is not installed by default; on Debian/Ubuntu:
 *
 *   sudo apt-get install -y chromium        (the binary is `chromium`; set CHROMIUM=/path to use another)
 *
 * The report is self-contained (inline CSS and SVG, no script), so the browser is run with
 * networking and the GPU off.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(__dirname, '..');

function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'].filter(Boolean) as string[];
  for (const c of candidates) {
    try {
      execFileSync(c, ['--version'], { stdio: 'ignore', timeout: 10_000 });
      return c;
    } catch {
      // not this one
    }
  }
  return undefined;
}

function main(): number {
  const report = path.resolve(process.argv[2] ?? path.join(root, 'reports', 'kro-demo-report.html'));
  const out = path.resolve(process.argv[3] ?? report.replace(/\.html?$/i, '') + '.png');
  if (!existsSync(report)) {
    process.stderr.write(`report not found: ${report}\nrun \`npm start\` (or \`kro audit --report FILE\`) first\n`);
    return 2;
  }
  const chromium = findChromium();
  if (!chromium) {
    process.stderr.write('Chromium is not installed. Install it with:\n  sudo apt-get install -y chromium\nor set CHROMIUM=/path/to/chrome\n');
    return 2;
  }
  mkdirSync(path.dirname(out), { recursive: true });
  execFileSync(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--hide-scrollbars',
      '--window-size=1200,1800',
      `--screenshot=${out}`,
      pathToFileURL(report).href,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 },
  );
  if (!existsSync(out) || statSync(out).size === 0) {
    process.stderr.write(`Chromium ran but wrote no screenshot at ${out}\n`);
    return 1;
  }
  process.stdout.write(`screenshot written: ${out} (${statSync(out).size} bytes)\n`);
  return 0;
}

process.exitCode = main();
