import assert from "node:assert/strict";
import { test } from "node:test";
import type { DecisionRow } from "../store/index.js";
import { openSqliteStore } from "../store/sqlite/sqlite-store.js";
import { createReportAccumulator } from "./compute-report.js";
import { streamDecisionRecords } from "./stream-decision-records.js";

const T0 = 1_800_000_000_000;

function row(chain: string, seq: number): DecisionRow {
  const timeMs = T0 + seq;
  const body = JSON.stringify({
    decision_id: `dec_${chain}_${seq}`,
    timestamp: new Date(timeMs).toISOString(),
    type: "authorize",
    result: seq % 10 === 0 ? "deny" : "allow",
    action: "code.write",
    latency_ms: 1,
  });
  return {
    chain,
    seq,
    decisionId: `dec_${chain}_${seq}`,
    timeMs,
    type: "authorize",
    result: "allow",
    action: "code.write",
    repositoryId: "74",
    capabilityId: null,
    body,
    prevHash: "p",
    hash: "h",
  };
}

test("a window streams page by page over every chain, each record once, in bounded memory", async () => {
  const store = openSqliteStore(":memory:");
  try {
    // More than two pages (5,000 rows) in one chain, a few in another; two outside the window.
    const many = Array.from({ length: 12_001 }, (_, i) => row("a", i + 1));
    await store.appendDecisions(many);
    await store.appendDecisions([row("b", 1), row("b", 2)]);
    const window = { sinceMs: T0 + 2, untilMs: T0 + 12_001 };
    const seen = new Set<string>();
    const report = createReportAccumulator();
    for await (const r of streamDecisionRecords(store, window)) {
      assert.ok(!seen.has(r.decision_id), `${r.decision_id} twice`);
      seen.add(r.decision_id);
      report.add(r);
    }
    // a: seq 2..12,000 (the window's end is exclusive); b: seq 2.
    assert.equal(seen.size, 11_999 + 1);
    const figures = report.finish({ ...window, nowMs: window.untilMs });
    assert.equal(figures.records, 12_000);
    assert.equal(figures.policy_latency.by_stage[0]?.decisions, 12_000);
  } finally {
    await store.close();
  }
});
