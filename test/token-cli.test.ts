/**
 * `leash token` end to end against a real leash and the local OIDC issuer: the ID token from
 * a file (`--id-token-file`, as on GitLab or any other CI), and the usage errors when that
 * file is not there to read.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { runLeashCli } from "./support/cli.js";
import { useTestLeash } from "./support/test-leash.js";

describe("leash token --id-token-file", () => {
  const live = useTestLeash();
  const dir = mkdtempSync(join(tmpdir(), "leash-token-cli-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("a relative path is read from the working directory and exchanged", async () => {
    const idToken = await live.issuer.sign(live.issuer.githubClaims());
    writeFileSync(join(dir, "id-token"), `${idToken}\n`);
    const run = await runLeashCli(
      ["token", "--zone", "editing", "--id-token-file", "id-token", "--json"],
      { LEASH_URL: live.t.url },
      dir,
    );
    assert.equal(run.code, 0, run.err);
    const body = JSON.parse(run.out);
    assert.equal(body.zone, "editing");
    assert.match(body.capability_id, /^cap_/);
    assert.ok(!run.out.includes(idToken), "the OIDC token is never printed");
  });

  const unusable: [string, string, (path: string) => void][] = [
    ["a missing file", "missing", () => {}],
    ["an empty file", "empty", (path) => writeFileSync(path, "\n")],
  ];
  for (const [what, name, make] of unusable) {
    test(`${what}: exit 2 before anything is sent, nothing on stdout`, async () => {
      make(join(dir, name));
      const run = await runLeashCli(
        ["token", "--zone", "editing", "--id-token-file", name],
        { LEASH_URL: live.t.url },
        dir,
      );
      assert.equal(run.code, 2, run.err);
      assert.match(run.err, /--id-token-file/);
      assert.equal(run.out, "");
      const exchanges = await live.t.leash.store.queryDecisions({ type: "exchange", limit: 100 });
      assert.equal(
        exchanges.filter((r) => r.result !== "allow").length,
        0,
        "no refused exchange was recorded: nothing reached leash",
      );
    });
  }
});
