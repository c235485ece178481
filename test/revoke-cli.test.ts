/**
 * `leash revoke` end to end against a real leash: one target revokes at once; a command
 * naming none, several, or a run without its repository is a usage error (exit 2) that
 * revokes nothing.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runLeashCli } from "./support/cli.js";
import { ADMIN_TOKEN, postForm, useTestLeash } from "./support/test-leash.js";

const capabilityId = (jwt: string): string =>
  String(JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString())["jti"]);

describe("leash revoke", () => {
  const live = useTestLeash();
  const env = () => ({ LEASH_URL: live.t.url, LEASH_ADMIN_TOKEN: ADMIN_TOKEN });
  const active = async (cap: string) =>
    (
      await postForm(
        `${live.t.url}/v1/introspect`,
        { token: cap },
        {
          authorization: `Bearer ${ADMIN_TOKEN}`,
        },
      )
    ).body["active"];

  test("an ambiguous or empty target is a usage error and revokes nothing", async () => {
    const cap = String((await live.t.exchange("editing")).body["access_token"]);
    const id = capabilityId(cap);
    const cases: [string, string[], RegExp][] = [
      ["no target", [], /exactly one of --capability, --repository-id or --subject/],
      [
        "two targets",
        ["--capability", id, "--subject", "repo:acme/app"],
        /got --capability, --subject/,
      ],
      ["a run alone", ["--run-id", "42"], /exactly one/],
      ["a run without its repository", ["--capability", id, "--run-id", "42"], /--run-id needs/],
    ];
    for (const [what, args, message] of cases) {
      const run = await runLeashCli(["revoke", ...args], env());
      assert.equal(run.code, 2, `${what}: ${run.err}`);
      assert.match(run.err, message, what);
    }
    assert.equal(await active(cap), true, "nothing was revoked");
  });

  test("one capability is revoked at once", async () => {
    const cap = String((await live.t.exchange("editing")).body["access_token"]);
    const run = await runLeashCli(["revoke", "--capability", capabilityId(cap)], env());
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /^revoked capability cap_/);
    assert.equal(await active(cap), false);
  });
});
