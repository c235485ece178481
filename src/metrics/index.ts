/**
 * @module metrics
 * The numbers a platform team shows: Prometheus metrics fed by decision records (one registry
 * per leash, never the global default), and `leash report` computed from the decision log.
 * Reads records only; must never change, delay or fail a decision.
 */
export type { ReportWindow } from "./compute-report.js";
export { computeReport, createReportAccumulator } from "./compute-report.js";
export type { LeashMetrics } from "./create-leash-metrics.js";
export { createLeashMetrics } from "./create-leash-metrics.js";
export type { ObservedOutcome } from "./observed-outcome.js";
export { renderReportHtml } from "./render-report-html.js";
export { renderReportJson } from "./render-report-json.js";
export { renderReportText } from "./render-report-text.js";
export type {
  CredentialLifetime,
  DeniedActions,
  ProvenanceCoverage,
  Report,
  RevocationTime,
  RuleSurface,
  StageLatency,
} from "./report.js";
export { REPORT_SCHEMA_VERSION } from "./report.js";
export { streamDecisionRecords } from "./stream-decision-records.js";
