import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DecisionRecord } from "../audit/index.js";
import { computeReport } from "./compute-report.js";
import { renderReportHtml } from "./render-report-html.js";
import { renderReportJson } from "./render-report-json.js";
import { renderReportText } from "./render-report-text.js";

const T0 = Date.parse("2025-03-01T10:00:00.000Z");
const RECORDS: DecisionRecord[] = [
  {
    decision_id: "dec_1",
    timestamp: new Date(T0).toISOString(),
    type: "exchange",
    result: "allow",
    latency_ms: 2,
    principal: { repository_id: "74", run_id: "1" },
    detail: {
      capability_id: "cap_1",
      rule: "<script>alert(1)</script>",
      zone: "editing",
      actions: ["code.write", "repo.read"],
      ttl_seconds: 600,
    },
  },
  {
    decision_id: "dec_2",
    timestamp: new Date(T0 + 1000).toISOString(),
    type: "authorize",
    result: "allow",
    latency_ms: 3,
    action: "code.write",
    principal: { capability_id: "cap_1" },
  },
];
const report = computeReport(RECORDS, { sinceMs: T0, untilMs: T0 + 5000, nowMs: T0 + 5000 });

describe("report renderers", () => {
  test("JSON is the report itself, stable and parseable", () => {
    assert.deepEqual(JSON.parse(renderReportJson(report)), report);
  });

  test("text has one section per figure", () => {
    const text = renderReportText(report);
    for (const heading of [
      "Credential lifetime",
      "Permission surface",
      "Denied actions per 1,000 runs",
      "Policy latency",
      "Revocation time",
      "Provenance coverage",
    ])
      assert.ok(text.includes(heading), heading);
    assert.match(text, /within 15 min: 1\/1 \(100\.0%\)/);
  });

  test("HTML is one self-contained file: inline SVG, no script, nothing fetched, names escaped", () => {
    const html = renderReportHtml(report);
    assert.ok(html.startsWith("<!doctype html>"));
    assert.ok((html.match(/<svg /g) ?? []).length >= 4);
    assert.ok(!/<script/i.test(html), "no script element (the rule name is escaped)");
    assert.ok(html.includes("&lt;script&gt;"));
    assert.ok(!/\b(src|href)=/i.test(html), "no external resource");
    assert.ok(html.includes("default-src 'none'"));
  });
});
