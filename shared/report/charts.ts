/**
 * Inline SVG charts. Pure string builders: no DOM, no script, so the report opens anywhere
 * (a mail attachment, a CI artifact, headless Chromium) and shows its pictures.
 */
import { CHECK_IDS } from '../domain/check-catalog';
import { escapeHtml, num } from './escape';
import { HEALTH_COLOUR, SEVERITY_COLOUR } from './palette';
import type { SecretHealth } from './types';

const HEALTH_ORDER: SecretHealth[] = ['healthy', 'warning', 'critical', 'deleted'];

/**
 * A donut of the fleet by health state, drawn with dashed circle strokes (no arc maths to get wrong).
 * Deleted secrets are a slice of their own, never counted as healthy.
 */
export function healthDonut(health: Record<SecretHealth, number>, centreLabel = 'secrets'): string {
  const total = HEALTH_ORDER.reduce((s, h) => s + Math.max(0, health[h] ?? 0), 0);
  const r = 70;
  const c = 2 * Math.PI * r;
  let offset = 0;
  const rings: string[] = [];
  for (const h of HEALTH_ORDER) {
    const n = Math.max(0, health[h] ?? 0);
    if (total === 0 || n === 0) continue;
    const len = (n / total) * c;
    rings.push(
      `<circle cx="100" cy="100" r="${r}" fill="none" stroke="${HEALTH_COLOUR[h]}" stroke-width="34" ` +
        `stroke-dasharray="${num(len)} ${num(c - len)}" stroke-dashoffset="${num(-offset)}" transform="rotate(-90 100 100)">` +
        `<title>${escapeHtml(`${h}: ${n}`)}</title></circle>`,
    );
    offset += len;
  }
  if (rings.length === 0)
    rings.push(`<circle cx="100" cy="100" r="${r}" fill="none" stroke="#ddd" stroke-width="34"/>`);
  // Deleted only appears where secrets were deleted (the demo's period); an audit sees none.
  const legend = HEALTH_ORDER.filter((h) => h !== 'deleted' || (health[h] ?? 0) > 0)
    .map(
      (h, i) =>
        `<rect x="220" y="${45 + i * 30}" width="16" height="16" rx="3" fill="${HEALTH_COLOUR[h]}"/>` +
        `<text x="244" y="${58 + i * 30}" class="lbl">${escapeHtml(h)}: ${num(health[h] ?? 0)}</text>`,
    )
    .join('');
  return (
    `<svg class="chart" role="img" aria-label="Fleet health" width="380" height="200" viewBox="0 0 380 200" xmlns="http://www.w3.org/2000/svg">` +
    rings.join('') +
    `<text x="100" y="98" text-anchor="middle" class="big">${num(total)}</text>` +
    `<text x="100" y="118" text-anchor="middle" class="lbl">${escapeHtml(centreLabel)}</text>` +
    legend +
    `</svg>`
  );
}

/** Horizontal bars, one per check (every check listed, so a quiet check shows as zero, not as absent). */
export function findingsBars(
  findingsByCheck: Record<string, number>,
  severityOf: (checkId: string) => 'critical' | 'warning',
  label = 'Findings by check',
): string {
  const ids = [...new Set<string>([...CHECK_IDS, ...Object.keys(findingsByCheck)])];
  const max = Math.max(1, ...ids.map((id) => findingsByCheck[id] ?? 0));
  const labelW = 170;
  const barW = 300;
  const rowH = 24;
  const height = ids.length * rowH + 10;
  const rows = ids
    .map((id, i) => {
      const n = findingsByCheck[id] ?? 0;
      const w = (n / max) * barW;
      const y = 5 + i * rowH;
      return (
        `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end" class="lbl">${escapeHtml(id)}</text>` +
        `<rect x="${labelW}" y="${y + 3}" width="${num(Math.max(w, n > 0 ? 2 : 0))}" height="16" rx="2" fill="${SEVERITY_COLOUR[severityOf(id)]}">` +
        `<title>${escapeHtml(`${id}: ${n}`)}</title></rect>` +
        `<text x="${num(labelW + w + 6)}" y="${y + 15}" class="lbl">${num(n)}</text>`
      );
    })
    .join('');
  return (
    `<svg class="chart" role="img" aria-label="${escapeHtml(label)}" width="${labelW + barW + 50}" height="${height}" ` +
    `viewBox="0 0 ${labelW + barW + 50} ${height}" xmlns="http://www.w3.org/2000/svg">${rows}</svg>`
  );
}
