import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { after, before, describe, test } from "node:test";
import { runUnderLeash } from "../src/gateway/exec/run-under-leash.js";
import { startTestIssuer, type TestIssuer } from "./support/oidc-issuer.js";
import { ADMIN_TOKEN, startTestLeash, type TestLeash } from "./support/test-leash.js";

const SECRET = "npm_live_value_ABCDEFGHIJ0123456789xyz";

/**
 * The child leases through exec's relay from a real leash, by a path the relay's bytes and
 * leash's router read differently: the value must still be masked in the child's output.
 */
describe("leash exec relay: a lease path leash routes as a lease is one to the relay too", () => {
  let issuer: TestIssuer;
  let t: TestLeash;
  let capability: string;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({
      issuer,
      extra: { secrets: [{ name: "NPM_TOKEN", zones: ["editing"], repository_ids: ["74"] }] },
    });
    const put = await fetch(`${t.url}/v1/secrets/NPM_TOKEN`, {
      method: "PUT",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ value: SECRET }),
    });
    assert.equal(put.status, 201);
    capability = String((await t.exchange("editing")).body["access_token"]);
  });
  after(async () => {
    await t.close();
    await issuer.close();
  });

  for (const path of ["/v1/secrets/NPM_TOKEN/%6cease", "/v1/secrets/%4EPM_TOKEN/lease"]) {
    test(`POST ${path}: leased, and masked in the child's output`, async () => {
      const script = `const r = await fetch(process.env.LEASH_URL + ${JSON.stringify(path)}, { method: "POST", headers: { authorization: "Bearer " + process.env.LEASH_CAPABILITY, "content-type": "application/json" }, body: JSON.stringify({ purpose: "publish" }) }); const b = await r.json(); console.log(r.status, b.value);`;
      let out = "";
      const r = await runUnderLeash({
        command: process.execPath,
        args: ["--input-type=module", "-e", script],
        env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" },
        capability,
        leashUrl: t.url,
        cwd: tmpdir(),
        stdout: (s) => {
          out += s;
        },
        stderr: () => {},
      });
      assert.equal(r.exitCode, 0, out);
      assert.equal(out, "200 [REDACTED:secret]\n");
      assert.ok(!out.includes(SECRET));
    });
  }
});
