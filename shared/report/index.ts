export * from './types';
export { renderReportHtml, DEFAULT_CHECK_SEVERITY } from './render-html';
export { escapeHtml } from './escape';
export {
  buildReportData,
  buildAuditReportData,
  buildTimelines,
  currentState,
  summarize,
  type AuditSecret,
  type ReportMeta,
  type RunRecords,
  type RunSecret,
} from './build-report';
export { parseAlertContent, type AlertFacts, type AlertSubject } from './alert-content';
export {
  entryFromEvent,
  entryFromNotification,
  groupByProblem,
  mergeEpisodes,
  recipientLabel,
  stageOfAlert,
  type AlertProblem,
} from './alert-log';
export { findingRows } from './finding-rows';
export { findingText } from './finding-text';
export { formatReadinessTable, readinessRow, readinessSection, type ReadinessRow } from './readiness-rows';
export { formatTimeline, formatSummary, formatFindingsTable, progressBar, type TimelineEntry } from './text';
