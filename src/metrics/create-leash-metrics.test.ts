import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DecisionRecord } from "../audit/index.js";
import { createLeashMetrics } from "./create-leash-metrics.js";

const record = (over: Partial<DecisionRecord>): DecisionRecord => ({
  decision_id: "dec_1",
  timestamp: "2025-03-01T10:00:00.000Z",
  type: "authorize",
  result: "allow",
  latency_ms: 3,
  ...over,
});
const written = { written: true, totalMs: 4 };

/** The value of one sample line, e.g. `leash_exchanges_total{zone="editing",result="allow"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("createLeashMetrics", () => {
  test("counts exchanges, lifetimes, decisions, replays, revocations and audit failures", async () => {
    const m = createLeashMetrics();
    const exchange = record({
      type: "exchange",
      action: "token.exchange",
      detail: { zone: "editing", ttl_seconds: 600 },
    });
    m.observe(exchange, written);
    m.observe(
      record({
        type: "exchange",
        result: "deny",
        code: "ERR_EXCHANGE_TOKEN_REPLAYED",
        resource: { id: "editing" },
      }),
      written,
    );
    m.observe(record({ action: "code.write", mode: "observe", would_deny: true }), written);
    m.observe(record({ type: "revoke", resource: { kind: "run", id: "74/1" } }), written);
    m.observe(record({ result: "deny", code: "ERR_CAPABILITY_REVOKED" }), written);
    m.observe(record({ action: "code.write" }), { written: false, totalMs: 9 });
    const text = (await m.render()).body;
    const cases: [string, number][] = [
      ['leash_exchanges_total{zone="editing",result="allow"}', 1],
      ['leash_exchanges_total{zone="editing",result="deny"}', 1],
      ['leash_capability_lifetime_seconds_bucket{le="600",zone="editing"}', 1],
      ['leash_capability_lifetime_seconds_bucket{le="300",zone="editing"}', 0],
      [
        'leash_decisions_total{type="authorize",action="code.write",result="allow",mode="observe"}',
        1,
      ],
      ['leash_would_deny_total{action="code.write"}', 1],
      ['leash_replay_refusals_total{kind="oidc_token"}', 1],
      ['leash_revocations_total{kind="run"}', 1],
      ['leash_revoked_capability_refusals_total{type="authorize"}', 1],
      ['leash_audit_write_failures_total{type="authorize"}', 1],
      ['leash_decision_duration_seconds_count{stage="authorize"}', 3],
      ['leash_request_duration_seconds_count{stage="exchange"}', 2],
    ];
    for (const [series, value] of cases) assert.equal(sample(text, series), value, series);
  });

  test("deploys are counted with and without verified provenance", async () => {
    const m = createLeashMetrics();
    m.observe(record({ action: "deploy", detail: { provenance_verified: true } }), written);
    m.observe(
      record({
        type: "admission",
        result: "deny",
        provenance_verified: false,
      } as Partial<DecisionRecord>),
      written,
    );
    m.observe(record({ action: "deploy" }), written);
    const text = (await m.render()).body;
    assert.equal(sample(text, 'leash_deploys_total{result="allow",provenance_verified="true"}'), 1);
    assert.equal(sample(text, 'leash_deploys_total{result="deny",provenance_verified="false"}'), 1);
    assert.equal(
      sample(text, 'leash_deploys_total{result="allow",provenance_verified="unknown"}'),
      1,
    );
  });

  test("two instances in one process keep separate registries", async () => {
    const a = createLeashMetrics();
    const b = createLeashMetrics();
    a.observe(record({ action: "code.write" }), written);
    const series =
      'leash_decisions_total{type="authorize",action="code.write",result="allow",mode="none"}';
    assert.equal(sample((await a.render()).body, series), 1);
    assert.equal(sample((await b.render()).body, series), undefined);
    assert.match((await a.render()).contentType, /^text\/plain/);
  });

  test("request input can't explode label values: odd or excess action names become other", async () => {
    const m = createLeashMetrics();
    m.observe(record({ action: 'x"} evil{' }), written);
    for (let i = 0; i < 70; i++) m.observe(record({ action: `a.${i}` }), written);
    const text = (await m.render()).body;
    assert.ok(!text.includes("evil"));
    assert.equal(
      sample(
        text,
        'leash_decisions_total{type="authorize",action="other",result="allow",mode="none"}',
      ),
      7,
    );
  });

  test("a record it can't read is skipped, never thrown", () => {
    const m = createLeashMetrics();
    assert.doesNotThrow(() => m.observe({} as DecisionRecord, written));
  });
});
