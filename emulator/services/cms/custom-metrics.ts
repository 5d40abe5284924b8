/**
 * PutCustomMetric and DescribeCustomMetricList (alibaba-cloud-apis.md §5.2;
 * https://www.alibabacloud.com/help/doc-detail/63275.html). MetricList.N is capped at 21 (the SDK's
 * limit; the guide says 100): a product that stays under the stricter number works on both.
 */
import type { ApiRequest } from '../../types';
import { intParam, invalid, listOfObjects, parseCmsTime } from './flat-params';
import { OK, type CmsStore, type MetricPoint } from './store';

export const MAX_METRICS_PER_CALL = 21;

function parseJsonObject(text: string, name: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid(`The parameter ${name} is not valid JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalid(`The parameter ${name} must be a JSON object.`);
  return parsed as Record<string, unknown>;
}

function parseDimensions(text: string | undefined, name: string): Record<string, string> {
  if (!text) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parseJsonObject(text, name))) {
    const value = typeof v === 'string' ? v : JSON.stringify(v);
    if (/[=&,]/.test(k) || /[=&,]/.test(value))
      throw invalid(`${name}: dimension keys and values must not contain "=", "&" or ",".`);
    if (Buffer.byteLength(k) > 64 || Buffer.byteLength(value) > 64)
      throw invalid(`${name}: dimension keys and values are at most 64 bytes.`);
    out[k] = value;
  }
  return out;
}

function parseValues(text: string | undefined, name: string): Record<string, number> {
  if (!text) throw invalid(`The parameter "${name}" is needed but not provided.`);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parseJsonObject(text, name))) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${name}: "${k}" must be a number.`);
    out[k] = v;
  }
  if (Object.keys(out).length === 0) throw invalid(`${name} must hold at least one value, e.g. {"value":10.5}.`);
  return out;
}

export function putCustomMetric(store: CmsStore, req: ApiRequest): MetricPoint[] {
  const list = listOfObjects(req.params, 'MetricList');
  if (list.length === 0) throw invalid('The parameter "MetricList" is needed: at least one MetricList.N entry.');
  if (list.length > MAX_METRICS_PER_CALL)
    throw invalid(`At most ${MAX_METRICS_PER_CALL} MetricList entries per call, got ${list.length}.`);
  const points = list.map((m, i): MetricPoint => {
    const at = `MetricList.${i + 1}`;
    if (!m.MetricName) throw invalid(`The parameter "${at}.MetricName" is needed but not provided.`);
    // The service rewrites characters outside [A-Za-z0-9_] to "_" rather than rejecting them.
    const metricName = m.MetricName.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z]/.test(metricName) || Buffer.byteLength(metricName) > 64)
      throw invalid(`${at}.MetricName must start with a letter and be at most 64 bytes.`);
    if (m.GroupId === undefined || m.GroupId === '')
      throw invalid(`The parameter "${at}.GroupId" is needed but not provided.`);
    const type = m.Type ?? '0';
    if (type !== '0' && type !== '1') throw invalid(`${at}.Type must be 0 (raw) or 1 (aggregated).`);
    let period: number | undefined;
    if (m.Period !== undefined && m.Period !== '') {
      period = Number(m.Period);
      if (period !== 60 && period !== 300) throw invalid(`${at}.Period must be 60 or 300.`);
    } else if (type === '1') {
      throw invalid(`The parameter "${at}.Period" is needed for Type=1.`);
    }
    const values = parseValues(m.Values, `${at}.Values`);
    return {
      metricName,
      dimensions: parseDimensions(m.Dimensions, `${at}.Dimensions`),
      groupId: m.GroupId,
      type,
      period,
      time: m.Time ? parseCmsTime(m.Time, `${at}.Time`) : req.receivedAt,
      values,
      value: values.value ?? (Object.values(values)[0] as number),
    };
  });
  store.metrics.push(...points);
  return points;
}

/** "k1=v1&k2=v2", keys ascending (how CloudMonitor names a custom-metric dimension set). */
export function dimensionString(dimensions: Record<string, string>): string {
  return Object.keys(dimensions)
    .sort()
    .map((k) => `${k}=${dimensions[k]}`)
    .join('&');
}

export function describeCustomMetricList(store: CmsStore, req: ApiRequest): Record<string, unknown> {
  const p = req.params;
  const pageNumber = intParam(p, 'PageNumber', 1, 1, 1_000_000);
  const pageSize = intParam(p, 'PageSize', 10, 1, 1000);
  const wanted = p.Dimension ? p.Dimension.split('&').sort().join('&') : undefined;
  // One row per metric series (name, group, dimensions), with its latest point.
  const series = new Map<string, MetricPoint>();
  for (const m of store.metrics) {
    if (p.MetricName && m.metricName !== p.MetricName) continue;
    if (p.GroupId && m.groupId !== p.GroupId) continue;
    if (wanted !== undefined && dimensionString(m.dimensions) !== wanted) continue;
    const key = `${m.groupId}|${m.metricName}|${dimensionString(m.dimensions)}`;
    const prev = series.get(key);
    if (!prev || prev.time <= m.time) series.set(key, m);
  }
  const rows = [...series.values()];
  const list = rows.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((m) => ({
    metricName: m.metricName,
    groupId: m.groupId,
    dimension: dimensionString(m.dimensions),
    type: Number(m.type),
    period: m.period,
    time: m.time,
    values: m.values,
  }));
  // The SDK types Result as a string: the service sends the page as JSON text.
  return {
    Code: OK.Code,
    Message: OK.Message,
    Result: JSON.stringify({ all: rows.length, size: pageSize, page: pageNumber, list }),
  };
}
