/**
 * GET /metrics on a real leash: the figures move with the decisions made, and the endpoint
 * can be put behind the admin token.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ADMIN_TOKEN, postJson, useTestLeash } from "./support/test-leash.js";

/** The value of one sample line of the exposition, undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const scrape = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
};

describe("GET /metrics", () => {
  const env = useTestLeash();

  test("counts exchanges, lifetimes, decisions, replays and revocations as they happen", async () => {
    const token = await env.issuer.sign(env.issuer.githubClaims({ jti: "metrics-once" }));
    const form = (scope: string) =>
      new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: token,
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        scope,
      });
    const post = (scope: string) =>
      fetch(`${env.t.url}/v1/token`, { method: "POST", body: form(scope) }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Record<string, unknown>,
      }));
    const first = await post("zone:editing");
    assert.equal(first.status, 200);
    assert.equal((await post("zone:editing")).body["code"], "ERR_EXCHANGE_TOKEN_REPLAYED");
    const auth = { authorization: `Bearer ${first.body["access_token"]}` };
    const branch = { type: "Branch", id: "refs/heads/agent/fix", attrs: { paths: ["src/a.ts"] } };
    assert.equal(
      (
        await postJson(
          `${env.t.url}/v1/authorize`,
          { action: "code.write", resource: branch },
          auth,
        )
      ).status,
      200,
    );
    const revoke = await postJson(
      `${env.t.url}/v1/revoke`,
      { capability_id: first.body["capability_id"] },
      { authorization: `Bearer ${ADMIN_TOKEN}` },
    );
    assert.equal(revoke.status, 200);
    const refused = await postJson(
      `${env.t.url}/v1/authorize`,
      { action: "code.write", resource: branch },
      auth,
    );
    assert.equal(refused.status, 401);

    const m = await scrape(env.t.url);
    assert.equal(m.status, 200);
    assert.match(m.type ?? "", /^text\/plain; version=0\.0\.4/);
    const cases: [string, number][] = [
      ['leash_exchanges_total{zone="editing",result="allow"}', 1],
      ['leash_exchanges_total{zone="editing",result="deny"}', 1],
      ['leash_capability_lifetime_seconds_sum{zone="editing"}', 600],
      ['leash_replay_refusals_total{kind="oidc_token"}', 1],
      [
        'leash_decisions_total{type="authorize",action="code.write",result="allow",mode="enforce"}',
        1,
      ],
      ['leash_revocations_total{kind="capability"}', 1],
      ['leash_revoked_capability_refusals_total{type="authorize"}', 1],
      ['leash_request_duration_seconds_count{stage="authorize"}', 2],
    ];
    for (const [series, value] of cases) assert.equal(sample(m.text, series), value, series);
    assert.ok(!m.text.includes(String(first.body["access_token"])), "no token in the exposition");
  });
});

describe("GET /metrics with metrics.require_admin", () => {
  const env = useTestLeash({ extra: { metrics: { require_admin: true } } });

  const cases: { name: string; headers: Record<string, string>; status: number; code?: string }[] =
    [
      { name: "no token", headers: {}, status: 401, code: "ERR_ADMIN_UNAUTHENTICATED" },
      {
        name: "a wrong token",
        headers: { authorization: "Bearer nope" },
        status: 401,
        code: "ERR_ADMIN_UNAUTHENTICATED",
      },
      { name: "the admin token", headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, status: 200 },
    ];
  for (const c of cases) {
    test(`${c.name}: ${c.status}`, async () => {
      const res = await scrape(env.t.url, c.headers);
      assert.equal(res.status, c.status);
      if (c.code) assert.equal((JSON.parse(res.text) as { code: string }).code, c.code);
      else assert.match(res.text, /# TYPE leash_decisions_total counter/);
    });
  }
});
