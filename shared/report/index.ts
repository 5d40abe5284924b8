export * from './types';
export { renderReportHtml, DEFAULT_CHECK_SEVERITY } from './render-html';
export { escapeHtml } from './escape';
export { buildReportData, buildTimelines, summarize, severityOfCheck, type RunRecords } from './build-report';
export { parseAlertContent, type AlertFacts, type AlertSubject } from './alert-content';
export { formatTimeline, formatSummary, formatFindingsTable, progressBar, type TimelineEntry } from './text';
