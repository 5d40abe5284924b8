/**
 * Renders HTML reports in headless Chromium and saves full-page PNGs (the whole page, however
 * long: the findings table and the alert log included).
 *
 *   npx tsx scripts/screenshot-report.ts                 refresh docs/report-demo.png and docs/report-audit.png
 *   npx tsx scripts/screenshot-report.ts REPORT.html [OUT.png]    one report
 *
 * With no argument it runs the 60-day demo (as `npm start`), then, before the emulator stops,
 * `kro audit --report` against it: an account the orchestrator has watched for two months. Both
 * HTML files are written to reports/, the PNGs to docs/.
 *
 * Chromium is not installed by default; on Debian/Ubuntu: `sudo apt-get install -y chromium`
 * (or set CHROMIUM=/path/to/chrome). The browser is driven over the DevTools protocol on a pipe
 * (--remote-debugging-pipe: no port, no extra package): `--screenshot` alone can only capture a
 * fixed window, which cut the report off after six findings rows. The report is self-contained
 * (inline CSS and SVG, no script), so networking and the GPU stay off.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { runAudit } from '../cli/commands/audit';
import { detectRealServers, simulateDemo } from '../cli/commands/demo';
import { renderReportHtml } from '../shared/report';

const root = path.resolve(__dirname, '..');
/** CSS width of the page: the report's main column (1100 px) plus its margins. */
const PAGE_WIDTH = 1160;
const TIMEOUT_MS = 60_000;

function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM,
    'chromium',
    'chromium-browser',
    'google-chrome',
    'google-chrome-stable',
  ].filter(Boolean) as string[];
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

/** A minimal DevTools protocol client over Chromium's pipe (fd 3 in, fd 4 out, messages end in NUL). */
class DevTools {
  private nextId = 1;
  private buffer = '';
  private pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private waiters: Array<{ method: string; resolve: () => void }> = [];

  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end + 1);
        this.dispatch(message);
      }
    });
  }

  private dispatch(message: any): void {
    if (message.id !== undefined) {
      const p = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) p?.reject(new Error(`${message.error.message} (${message.error.code})`));
      else p?.resolve(message.result);
      return;
    }
    this.waiters = this.waiters.filter((w) => (w.method === message.method ? (w.resolve(), false) : true));
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<any> {
    const id = this.nextId++;
    this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  once(method: string): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ method, resolve }));
  }
}

async function screenshot(chromium: string, report: string, out: string): Promise<void> {
  const profile = mkdtempSync(path.join(tmpdir(), 'kro-chromium-'));
  const child = spawn(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--hide-scrollbars',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  try {
    const cdp = new DevTools(child.stdio[3] as Writable, child.stdio[4] as Readable);
    const { targetInfos } = await cdp.send('Target.getTargets');
    const page = (targetInfos as Array<{ type: string; targetId: string }>).find((t) => t.type === 'page');
    const targetId = page?.targetId ?? (await cdp.send('Target.createTarget', { url: 'about:blank' })).targetId;
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    await cdp.send('Page.enable', {}, sessionId);
    await cdp.send(
      'Emulation.setDeviceMetricsOverride',
      { width: PAGE_WIDTH, height: 900, deviceScaleFactor: 1, mobile: false },
      sessionId,
    );
    const loaded = cdp.once('Page.loadEventFired');
    await cdp.send('Page.navigate', { url: pathToFileURL(report).href }, sessionId);
    await loaded;
    const metrics = await cdp.send('Page.getLayoutMetrics', {}, sessionId);
    const size = metrics.cssContentSize ?? metrics.contentSize;
    const width = Math.ceil(Math.max(PAGE_WIDTH, size.width));
    const height = Math.ceil(size.height);
    await cdp.send(
      'Emulation.setDeviceMetricsOverride',
      { width, height, deviceScaleFactor: 1, mobile: false },
      sessionId,
    );
    const shot = await cdp.send(
      'Page.captureScreenshot',
      { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width, height, scale: 1 } },
      sessionId,
    );
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, Buffer.from(shot.data, 'base64'));
    process.stdout.write(`screenshot written: ${out} (${width}x${height}, ${statSync(out).size} bytes)\n`);
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(profile, { recursive: true, force: true });
  }
  shrink(out);
}

/**
 * PNGs checked into docs/ should stay small: when pngquant is installed (apt-get install pngquant)
 * the palette is reduced, which keeps text crisp at a third of the size. Without it the PNG stays as is.
 */
function shrink(file: string): void {
  try {
    execFileSync('pngquant', ['--force', '--skip-if-larger', '--quality=60-90', '--speed=1', '--output', file, file], {
      stdio: 'ignore',
      timeout: TIMEOUT_MS,
    });
    process.stdout.write(`  reduced with pngquant: ${statSync(file).size} bytes\n`);
  } catch {
    // not installed, or no gain: keep the lossless PNG
  }
}

/** The demo report and an audit of the same emulator at the demo's end, as HTML files. */
async function writeBothReports(dir: string): Promise<{ demo: string; audit: string }> {
  mkdirSync(dir, { recursive: true });
  const demo = path.join(dir, 'kro-demo-report.html');
  const audit = path.join(dir, 'kro-audit-report.html');
  const quiet = { stdout: () => undefined, stderr: () => undefined, isTTY: false, env: {} };
  const outcome = await simulateDemo({
    days: 60,
    sweepMinutes: 360,
    servers: await detectRealServers(),
    onEnd: async (endpoint) => {
      await runAudit(['--endpoint', endpoint, '--report', audit, '--fail-on', 'never'], quiet);
    },
  });
  writeFileSync(demo, renderReportHtml(outcome.report));
  return { demo, audit };
}

async function main(): Promise<number> {
  const chromium = findChromium();
  if (!chromium) {
    process.stderr.write(
      'Chromium is not installed. Install it with:\n  sudo apt-get install -y chromium\nor set CHROMIUM=/path/to/chrome\n',
    );
    return 2;
  }
  if (process.argv[2]) {
    const report = path.resolve(process.argv[2]);
    if (!existsSync(report)) {
      process.stderr.write(`report not found: ${report}\nrun \`npm start\` (or \`kro audit --report FILE\`) first\n`);
      return 2;
    }
    await screenshot(chromium, report, path.resolve(process.argv[3] ?? report.replace(/\.html?$/i, '') + '.png'));
    return 0;
  }
  const { demo, audit } = await writeBothReports(path.join(root, 'reports'));
  await screenshot(chromium, demo, path.join(root, 'docs', 'report-demo.png'));
  await screenshot(chromium, audit, path.join(root, 'docs', 'report-audit.png'));
  return 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
