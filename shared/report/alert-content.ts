/**
 * Reads what the report needs out of an alert (a CloudMonitor custom event, as
 * shared/domain/alerts.ts writes it; its fields parsed by alert-text.ts): which secrets it names,
 * for which check and episode. A grouped alert names many secrets under `affected`. Tolerant on
 * purpose: the report must never fail because an alert carried a field it does not know, or none.
 */
export interface AlertSubject {
  secretName: string;
  checkId?: string;
  /** The episode (or, in a grouped alert, the alert id that contains it). */
  episodeKey?: string;
}

export interface AlertFacts {
  subjects: AlertSubject[];
  secretNames: string[];
  checkId?: string;
  errorCode?: string;
}

import { alertFields } from '../domain/alert-text';

type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

function subjectsFrom(value: unknown, fallbackCheck: string | undefined): AlertSubject[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): AlertSubject[] => {
    if (typeof item === 'string') return [{ secretName: item, checkId: fallbackCheck }];
    const o = obj(item);
    const secretName = str(o.secretName) ?? str(o.SecretName);
    if (!secretName) return [];
    return [{ secretName, checkId: str(o.checkId) ?? fallbackCheck, episodeKey: str(o.episodeId) ?? str(o.alertId) }];
  });
}

export function parseAlertContent(content: string): AlertFacts {
  const o = alertFields(content);
  const checkId = str(o.checkId) ?? str(obj(o.finding).checkId);
  const subjects: AlertSubject[] = [];
  const single = str(o.secretName) ?? str(obj(o.secret).name) ?? str(obj(o.secret).secretName);
  if (single) subjects.push({ secretName: single, checkId, episodeKey: str(o.episodeId) ?? str(obj(o.episode).id) });
  for (const key of ['affected', 'secrets', 'affectedSecrets']) subjects.push(...subjectsFrom(o[key], checkId));
  return {
    subjects,
    secretNames: [...new Set(subjects.map((s) => s.secretName))],
    checkId: checkId ?? subjects.find((s) => s.checkId)?.checkId,
    errorCode: str(o.lastErrorCode) ?? str(obj(o.lastError).code) ?? str(o.errorCode),
  };
}
