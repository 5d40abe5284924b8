/**
 * The per-secret timeline: one swimlane per secret across the reported period. Each lane has
 * three tracks so no kind of marker can hide another: KMS's rotation results on top (success,
 * failure; in the audit also the next due date), the orchestrator's retries in the middle, the
 * alerts people received at the bottom (opened, reminders, escalated, recovered). A faint band
 * shows while a problem was open. Markers of one kind closer than a few pixels are drawn once
 * with a count, so three failures ten minutes apart read "3", not one cross. A deleted secret's
 * lane ends where it was deleted. Unhealthy secrets come first; past `maxLanes` the rest are
 * counted, not drawn, so a 10,000-secret audit still renders quickly.
 */
import { escapeHtml, num } from './escape';
import { BAND_COLOUR, HEALTH_COLOUR, MARKER_STYLE } from './palette';
import { utc } from './time-text';
import type { MarkerKind, SecretHealth, SecretTimeline, TimelineMarker } from './types';

const DAY = 86_400_000;
const LABEL_W = 250;
const PLOT_W = 760;
const LANE_H = 30;
const AXIS_H = 28;
/** Markers of one kind closer than this (px) are one cluster. */
const CLUSTER_PX = 6;
/** Tooltip lines listed per cluster before "... and N more". */
const TIP_LINES = 6;

const HEALTH_RANK: Record<SecretHealth, number> = { critical: 0, warning: 1, deleted: 2, healthy: 3 };

/** Which track (0 top, 1 middle, 2 bottom) a kind sits on, and its drawing order (later on top). */
const TRACK: Record<MarkerKind, number> = {
  rotation: 0,
  failure: 0,
  due: 0,
  overdue: 0,
  retry: 1,
  deleted: 1,
  reminder: 2,
  alert: 2,
  recovered: 2,
  escalated: 2,
};
const DRAW_ORDER: MarkerKind[] = [
  'rotation',
  'due',
  'overdue',
  'failure',
  'retry',
  'deleted',
  'reminder',
  'recovered',
  'alert',
  'escalated',
];
const TRACK_DY = [-9, 0, 9];

export function orderLanes(secrets: SecretTimeline[]): SecretTimeline[] {
  return [...secrets].sort(
    (a, b) =>
      HEALTH_RANK[a.health] - HEALTH_RANK[b.health] ||
      b.markers.length - a.markers.length ||
      a.secretName.localeCompare(b.secretName),
  );
}

function shape(kind: MarkerKind, x: number, y: number, colour: string, tip: string): string {
  const cx = num(x);
  const cy = num(y);
  const t = `<title>${escapeHtml(tip)}</title>`;
  switch (kind) {
    case 'rotation':
      return `<circle cx="${cx}" cy="${cy}" r="4" fill="${colour}">${t}</circle>`;
    case 'failure':
      return `<path d="M${num(x - 4)} ${num(y - 4)}L${num(x + 4)} ${num(y + 4)}M${num(x + 4)} ${num(y - 4)}L${num(x - 4)} ${num(y + 4)}" stroke="${colour}" stroke-width="2.6">${t}</path>`;
    case 'retry':
      return `<path d="M${cx} ${num(y - 4.5)}L${num(x + 4.5)} ${num(y + 3.5)}L${num(x - 4.5)} ${num(y + 3.5)}Z" fill="${colour}">${t}</path>`;
    case 'alert':
      return `<rect x="${num(x - 3.5)}" y="${num(y - 3.5)}" width="7" height="7" fill="${colour}" transform="rotate(45 ${cx} ${cy})">${t}</rect>`;
    case 'reminder':
      return `<line x1="${cx}" y1="${num(y - 3.5)}" x2="${cx}" y2="${num(y + 3.5)}" stroke="${colour}" stroke-width="2">${t}</line>`;
    case 'escalated':
      return `<rect x="${num(x - 4.5)}" y="${num(y - 4.5)}" width="9" height="9" fill="${colour}">${t}</rect>`;
    case 'recovered':
      return `<circle cx="${cx}" cy="${cy}" r="4" fill="#fff" stroke="${colour}" stroke-width="2.2">${t}</circle>`;
    case 'deleted':
      return `<circle cx="${cx}" cy="${cy}" r="4.5" fill="#fff" stroke="${colour}" stroke-width="1.8">${t}</circle><line x1="${num(x - 3)}" y1="${num(y + 3)}" x2="${num(x + 3)}" y2="${num(y - 3)}" stroke="${colour}" stroke-width="1.8"/>`;
    case 'due':
    case 'overdue':
      return `<circle cx="${cx}" cy="${cy}" r="4" fill="#fff" stroke="${colour}" stroke-width="2" stroke-dasharray="2 1.5">${t}</circle>`;
  }
}

interface Cluster {
  x: number;
  markers: TimelineMarker[];
}

/** Groups one kind's markers (sorted by time) into clusters no wider than CLUSTER_PX. */
export function clusterMarkers(markers: TimelineMarker[], xOf: (at: number) => number): Cluster[] {
  const clusters: Cluster[] = [];
  for (const m of [...markers].sort((a, b) => a.at - b.at)) {
    const x = xOf(m.at);
    const last = clusters[clusters.length - 1];
    if (last && x - last.x < CLUSTER_PX) last.markers.push(m);
    else clusters.push({ x, markers: [m] });
  }
  return clusters;
}

function clusterTip(kind: MarkerKind, markers: TimelineMarker[]): string {
  const { title } = MARKER_STYLE[kind];
  const lines = markers.slice(0, TIP_LINES).map((m) => `${utc(m.at)}${m.label ? `: ${m.label}` : ''}`);
  if (markers.length > TIP_LINES) lines.push(`... and ${markers.length - TIP_LINES} more`);
  return `${markers.length > 1 ? `${markers.length} × ` : ''}${title}\n${lines.join('\n')}`;
}

/** Half a marker's width (px), and the width of one digit of a cluster's count. */
const MARKER_HALF = 4.5;
const DIGIT_W = 5.5;

/**
 * One lane's markers. On each track, clusters of different kinds that would overlap (a failure and
 * the retry ten minutes later) are nudged apart left to right, so each stays visible; the tooltip
 * keeps the exact times.
 */
function laneMarkers(lane: SecretTimeline, y: number, xOf: (at: number) => number): string {
  const placed: Array<{ kind: MarkerKind; cluster: Cluster; x: number }> = [];
  for (let track = 0; track < TRACK_DY.length; track++) {
    const items = DRAW_ORDER.filter((k) => TRACK[k] === track).flatMap((kind) =>
      clusterMarkers(
        lane.markers.filter((m) => m.kind === kind),
        xOf,
      ).map((cluster) => ({ kind, cluster, x: cluster.x })),
    );
    items.sort((a, b) => a.x - b.x || DRAW_ORDER.indexOf(a.kind) - DRAW_ORDER.indexOf(b.kind));
    let rightEdge = -Infinity;
    for (const item of items) {
      item.x = Math.max(item.x, rightEdge + 1 + MARKER_HALF);
      rightEdge =
        item.x +
        MARKER_HALF +
        (countShown(item.kind, item.cluster) ? String(item.cluster.markers.length).length * DIGIT_W + 1 : 0);
      placed.push(item);
    }
  }
  placed.sort((a, b) => DRAW_ORDER.indexOf(a.kind) - DRAW_ORDER.indexOf(b.kind));
  return placed
    .map(({ kind, cluster, x }) => {
      const ty = y + TRACK_DY[TRACK[kind]]!;
      const count = countShown(kind, cluster)
        ? `<text x="${num(x + MARKER_HALF + 1)}" y="${num(ty + 3)}" class="count">${cluster.markers.length}</text>`
        : '';
      return shape(kind, x, ty, MARKER_STYLE[kind].colour, clusterTip(kind, cluster.markers)) + count;
    })
    .join('');
}

/** Reminders come in long runs: their count is in the tooltip and the alert log, not on the chart. */
const countShown = (kind: MarkerKind, cluster: Cluster) => cluster.markers.length > 1 && kind !== 'reminder';

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

export interface TimelineOptions {
  maxLanes?: number;
  /** Draws a "now" line (the audit's moment; the demo's end). */
  now?: number;
}

export function timelineChart(
  secrets: SecretTimeline[],
  period: { start: number; end: number },
  options: TimelineOptions = {},
): string {
  const lanes = orderLanes(secrets).slice(0, options.maxLanes ?? 150);
  const span = Math.max(period.end - period.start, 1);
  const height = AXIS_H + lanes.length * LANE_H + 6;
  const width = LABEL_W + PLOT_W + 10;
  const xOf = (at: number) =>
    LABEL_W + ((Math.min(Math.max(at, period.start), period.end) - period.start) / span) * PLOT_W;
  const rows = lanes
    .map((s, i) => {
      const top = AXIS_H + i * LANE_H;
      const y = top + LANE_H / 2;
      const name = s.secretName.length > 32 ? `${s.secretName.slice(0, 31)}…` : s.secretName;
      const kind = s.subType ? `${s.secretType}/${s.subType}` : s.secretType;
      const deleted = s.health === 'deleted' && s.deletedAt !== undefined;
      const trackEnd = deleted ? xOf(s.deletedAt!) : LABEL_W + PLOT_W;
      const bands = (s.bands ?? [])
        .map(
          (b) =>
            `<rect x="${num(xOf(b.from))}" y="${num(top + 3)}" width="${num(Math.max(2, xOf(b.to) - xOf(b.from)))}" height="${LANE_H - 6}" rx="3" fill="${BAND_COLOUR[b.severity]}">` +
            `<title>${escapeHtml(`${b.label}, ${utc(b.from)} to ${utc(b.to)}`)}</title></rect>`,
        )
        .join('');
      const tip = `${s.secretName} (${kind}${s.env ? `, env=${s.env}` : ''})${deleted ? `, deleted ${utc(s.deletedAt!)}` : ''}`;
      return (
        `<g class="lane${deleted ? ' gone' : ''}"><rect x="0" y="${num(top)}" width="${width}" height="${LANE_H}" class="${i % 2 ? 'odd' : 'even'}"/>` +
        bands +
        `<rect x="4" y="${num(y - 5)}" width="10" height="10" rx="2" fill="${HEALTH_COLOUR[s.health]}"><title>${escapeHtml(s.health)}</title></rect>` +
        `<text x="20" y="${num(y + 4)}" class="lane-lbl${deleted ? ' deleted' : ''}">${escapeHtml(name)}<title>${escapeHtml(tip)}</title></text>` +
        `<line x1="${LABEL_W}" y1="${num(y)}" x2="${num(trackEnd)}" y2="${num(y)}" class="track"/>` +
        (deleted
          ? `<line x1="${num(trackEnd)}" y1="${num(y)}" x2="${LABEL_W + PLOT_W}" y2="${num(y)}" class="track-gone"/>`
          : '') +
        laneMarkers(s, y, xOf) +
        `</g>`
      );
    })
    .join('');
  const now =
    options.now !== undefined && options.now >= period.start && options.now <= period.end
      ? `<line x1="${num(xOf(options.now))}" y1="${AXIS_H - 4}" x2="${num(xOf(options.now))}" y2="${height}" class="now"/>` +
        `<text x="${num(xOf(options.now) - 3)}" y="${AXIS_H - 10}" text-anchor="end" class="now-lbl">now</text>`
      : '';
  const more = secrets.length - lanes.length;
  return (
    `<svg class="chart timeline" role="img" aria-label="Per-secret timeline" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${axis(period.start, period.end, height)}${rows}${now}</svg>` +
    (more > 0 ? `<p class="muted">${num(more)} more secrets (all healthy or quieter) are not drawn.</p>` : '')
  );
}

/**
 * The legend: only the kinds this chart draws, each with how many there are, as a small SVG of
 * its own so the shapes match exactly. A kind nobody can see is not advertised.
 */
export function timelineLegend(
  secrets: SecretTimeline[],
  options: {
    maxLanes?: number;
    /** Words for a kind in this layout (the audit's green dot is the last rotation). */ titles?: Partial<
      Record<MarkerKind, string>
    >;
  } = {},
): string {
  const lanes = orderLanes(secrets).slice(0, options.maxLanes ?? 150);
  const counts = new Map<MarkerKind, number>();
  for (const lane of lanes) for (const m of lane.markers) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
  const bands = new Set(lanes.flatMap((l) => (l.bands ?? []).map((b) => b.severity)));
  const items: Array<{ draw: (x: number) => string; text: string }> = [];
  for (const kind of DRAW_ORDER) {
    const n = counts.get(kind);
    if (!n) continue;
    items.push({
      draw: (x) => shape(kind, x, 12, MARKER_STYLE[kind].colour, MARKER_STYLE[kind].title),
      text: `${options.titles?.[kind] ?? MARKER_STYLE[kind].title} (${n})`,
    });
  }
  for (const severity of ['critical', 'warning'] as const) {
    if (bands.has(severity))
      items.push({
        draw: (x) => `<rect x="${num(x - 7)}" y="5" width="14" height="14" rx="3" fill="${BAND_COLOUR[severity]}"/>`,
        text: `problem open (${severity})`,
      });
  }
  const perRow = 4;
  const colW = 250;
  const rows = Math.ceil(items.length / perRow);
  const svg = items
    .map((item, i) => {
      const x = 12 + (i % perRow) * colW;
      const dy = Math.floor(i / perRow) * 22;
      return `<g transform="translate(0 ${dy})">${item.draw(x)}<text x="${x + 12}" y="16" class="lbl">${escapeHtml(item.text)}</text></g>`;
    })
    .join('');
  return `<svg class="legend" role="img" aria-label="Timeline legend" width="${perRow * colW}" height="${rows * 22 + 4}" viewBox="0 0 ${perRow * colW} ${rows * 22 + 4}" xmlns="http://www.w3.org/2000/svg">${svg}</svg>`;
}
