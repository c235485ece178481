import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RepositoryConfig } from "../../config/index.js";
import { createEnvUpstreamCredential, toUpstreamAuthorization } from "./upstream-credential.js";

const repo: RepositoryConfig = {
  name: "acme/app",
  id: "74",
  upstream: "https://git.example/acme/app.git",
  credential: undefined,
};

describe("upstream credential", () => {
  it("reads LEASH_UPSTREAM_TOKEN_<id> at each use, and nothing when unset or empty", async () => {
    const env: Record<string, string | undefined> = {};
    const get = createEnvUpstreamCredential(env);
    assert.equal(await get(repo), undefined);
    env["LEASH_UPSTREAM_TOKEN_74"] = "";
    assert.equal(await get(repo), undefined);
    env["LEASH_UPSTREAM_TOKEN_74"] = "ghs_x";
    assert.equal(await get(repo), "ghs_x");
  });

  const cases: [string, string][] = [
    ["ghs_token", `Basic ${Buffer.from("x-access-token:ghs_token").toString("base64")}`],
    ["Bearer abc", "Bearer abc"],
    ["Basic dXNlcjpwYXNz", "Basic dXNlcjpwYXNz"],
  ];
  for (const [credential, header] of cases) {
    it(`sends ${JSON.stringify(credential)} as ${header.split(" ")[0]}`, () => {
      assert.equal(toUpstreamAuthorization(credential), header);
    });
  }
});
