import type { Report } from "./report.js";

/** The stable JSON form (schema in docs/report.md), for dashboards and scripts. */
export function renderReportJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
