/**
 * The per-secret timeline: one swimlane per secret across the reported period, a marker per
 * rotation, failure, retry, alert, escalation and recovery. Unhealthy secrets come first; past
 * `maxLanes` the rest are counted, not drawn, so a 10,000-secret audit still renders quickly.
 */
import { escapeHtml, num } from './escape';
import { HEALTH_COLOUR, MARKER_STYLE } from './palette';
import type { MarkerKind, SecretHealth, SecretTimeline, TimelineMarker } from './types';

const DAY = 86_400_000;
const LABEL_W = 250;
const PLOT_W = 760;
const LANE_H = 20;
const AXIS_H = 28;

const HEALTH_RANK: Record<SecretHealth, number> = { critical: 0, warning: 1, healthy: 2 };

export function orderLanes(secrets: SecretTimeline[]): SecretTimeline[] {
  return [...secrets].sort(
    (a, b) => HEALTH_RANK[a.health] - HEALTH_RANK[b.health] || b.markers.length - a.markers.length || a.secretName.localeCompare(b.secretName),
  );
}

function marker(m: TimelineMarker, x: number, y: number, withTip = true): string {
  const { colour, title } = MARKER_STYLE[m.kind];
  const tip = withTip ? `<title>${escapeHtml(`${new Date(m.at).toISOString()} ${title}${m.label ? `: ${m.label}` : ''}`)}</title>` : `<title>${escapeHtml(title)}</title>`;
  const cx = num(x);
  const cy = num(y);
  switch (m.kind) {
    case 'rotation':
      return `<circle cx="${cx}" cy="${cy}" r="4.5" fill="${colour}">${tip}</circle>`;
    case 'failure':
      return `<path d="M${num(x - 4.5)} ${num(y - 4.5)}L${num(x + 4.5)} ${num(y + 4.5)}M${num(x + 4.5)} ${num(y - 4.5)}L${num(x - 4.5)} ${num(y + 4.5)}" stroke="${colour}" stroke-width="2.5">${tip}</path>`;
    case 'retry':
      return `<path d="M${num(x)} ${num(y - 5)}L${num(x + 5)} ${num(y + 4)}L${num(x - 5)} ${num(y + 4)}Z" fill="${colour}">${tip}</path>`;
    case 'alert':
      return `<rect x="${num(x - 4)}" y="${num(y - 4)}" width="8" height="8" fill="${colour}" transform="rotate(45 ${cx} ${cy})">${tip}</rect>`;
    case 'escalated':
      return `<rect x="${num(x - 5)}" y="${num(y - 5)}" width="10" height="10" fill="${colour}">${tip}</rect>`;
    case 'recovered':
      return `<circle cx="${cx}" cy="${cy}" r="5" fill="none" stroke="${colour}" stroke-width="2.5">${tip}</circle>`;
    case 'finding':
      return `<circle cx="${cx}" cy="${cy}" r="3" fill="${colour}">${tip}</circle>`;
  }
}

function axis(start: number, end: number, height: number): string {
  const span = Math.max(end - start, 1);
  const stepDays = span > 120 * DAY ? 30 : span > 21 * DAY ? 7 : 1;
  const first = Math.ceil(start / DAY) * DAY;
  const ticks: string[] = [];
  for (let t = first; t <= end; t += stepDays * DAY) {
    const x = LABEL_W + ((t - start) / span) * PLOT_W;
    ticks.push(
      `<line x1="${num(x)}" y1="${AXIS_H - 6}" x2="${num(x)}" y2="${height}" class="grid"/>` +
        `<text x="${num(x)}" y="${AXIS_H - 10}" text-anchor="middle" class="tick">${escapeHtml(new Date(t).toISOString().slice(5, 10))}</text>`,
    );
  }
  return ticks.join('');
}

export function timelineChart(secrets: SecretTimeline[], period: { start: number; end: number }, maxLanes = 150): string {
  const lanes = orderLanes(secrets).slice(0, maxLanes);
  const span = Math.max(period.end - period.start, 1);
  const height = AXIS_H + lanes.length * LANE_H + 6;
  const width = LABEL_W + PLOT_W + 10;
  const xOf = (at: number) => LABEL_W + (Math.min(Math.max(at, period.start), period.end) - period.start) / span * PLOT_W;
  const rows = lanes
    .map((s, i) => {
      const y = AXIS_H + i * LANE_H + LANE_H / 2;
      const name = s.secretName.length > 34 ? `${s.secretName.slice(0, 33)}…` : s.secretName;
      const kind = s.subType ? `${s.secretType}/${s.subType}` : s.secretType;
      return (
        `<g class="lane"><rect x="0" y="${num(y - LANE_H / 2)}" width="${width}" height="${LANE_H}" class="${i % 2 ? 'odd' : 'even'}"/>` +
        `<rect x="4" y="${num(y - 5)}" width="10" height="10" rx="2" fill="${HEALTH_COLOUR[s.health]}"><title>${escapeHtml(s.health)}</title></rect>` +
        `<text x="20" y="${num(y + 4)}" class="lane-lbl">${escapeHtml(name)}<title>${escapeHtml(`${s.secretName} (${kind}${s.env ? `, env=${s.env}` : ''})`)}</title></text>` +
        `<line x1="${LABEL_W}" y1="${num(y)}" x2="${LABEL_W + PLOT_W}" y2="${num(y)}" class="track"/>` +
        [...s.markers].sort((a, b) => a.at - b.at).map((m) => marker(m, xOf(m.at), y)).join('') +
        `</g>`
      );
    })
    .join('');
  const more = secrets.length - lanes.length;
  return (
    `<svg class="chart timeline" role="img" aria-label="Per-secret timeline" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${axis(period.start, period.end, height)}${rows}</svg>` +
    (more > 0 ? `<p class="muted">${num(more)} more secrets (all healthy or quieter) are not drawn.</p>` : '')
  );
}

/** The legend under the timeline, as a small SVG of its own so the shapes match exactly. */
export function timelineLegend(): string {
  const kinds = Object.keys(MARKER_STYLE) as MarkerKind[];
  const items = kinds
    .map((k, i) => marker({ at: 0, kind: k, label: '' }, 12 + i * 140, 12, false) + `<text x="${22 + i * 140}" y="16" class="lbl">${escapeHtml(k)}</text>`)
    .join('');
  return `<svg class="legend" width="${kinds.length * 140}" height="24" viewBox="0 0 ${kinds.length * 140} 24" xmlns="http://www.w3.org/2000/svg">${items}</svg>`;
}
