import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { hasCode, type LeashError } from "../errors/index.js";
import { compileConfig, parseConfigText } from "./load-config.js";

const ISSUER = `issuers:
  - { name: github, url: "https://token.actions.githubusercontent.com", provider: github, audience: leash }
`;
const compile = (extra: string) =>
  compileConfig(
    parseConfigText(`${ISSUER}${extra}`, "/etc/leash/leash.yaml"),
    "/etc/leash/leash.yaml",
  );

test("provenance defaults to the trust material pinned in the package", () => {
  const config = compile("");
  assert.equal(config.provenance.trustedRoots.length, 1);
  for (const path of [...config.provenance.trustedRoots, config.provenance.npmRegistryKeys]) {
    assert.ok(path && existsSync(path), `${path} is shipped`);
  }
  assert.equal(config.kubernetes, undefined);
});

test("configured trust roots resolve against the config's folder", () => {
  const config = compile(
    "provenance:\n  trusted_roots: [trust/public-good.json, /abs/ghes.json]\n  npm_registry_keys: keys.json\n",
  );
  assert.deepEqual(config.provenance.trustedRoots, [
    "/etc/leash/trust/public-good.json",
    "/abs/ghes.json",
  ]);
  assert.equal(config.provenance.npmRegistryKeys, "/etc/leash/keys.json");
});

test("kubernetes namespaces: the object form, and the string form taking the section's repositories", () => {
  const config = compile(`kubernetes:
  webhook_token: 0123456789abcdef0123
  repository_ids: ["74"]
  namespaces:
    shop-prod: production
    shop-staging: { environment: staging, repository_ids: ["74", "75"] }
`);
  assert.deepEqual(config.kubernetes?.namespaces.get("shop-prod"), {
    environment: "production",
    repositoryIds: ["74"],
  });
  assert.deepEqual(config.kubernetes?.namespaces.get("shop-staging")?.repositoryIds, ["74", "75"]);
  assert.equal(config.kubernetes?.webhookToken, "0123456789abcdef0123");
});

const invalid: { name: string; yaml: string; path: string }[] = [
  {
    name: "a string namespace with no repositories to admit",
    yaml: "kubernetes:\n  namespaces:\n    shop: production\n",
    path: "kubernetes.namespaces.shop",
  },
  {
    name: "a namespace name Kubernetes would refuse",
    yaml: "kubernetes:\n  namespaces:\n    Shop_Prod: { environment: production, repository_ids: ['1'] }\n",
    path: "kubernetes.namespaces.Shop_Prod",
  },
  {
    name: "a short webhook token",
    yaml: "kubernetes:\n  webhook_token: short\n  namespaces: {}\n",
    path: "kubernetes.webhook_token",
  },
  { name: "an unknown key", yaml: "provenance:\n  tuf: true\n", path: "provenance" },
];
for (const c of invalid) {
  test(`ERR_CONFIG_INVALID for ${c.name}`, () => {
    assert.throws(
      () => compile(c.yaml),
      (err: unknown) => {
        assert.ok(hasCode(err, "ERR_CONFIG_INVALID"), String(err));
        const problems = (err as LeashError).detail?.["problems"] as { path: string }[];
        assert.ok(
          problems.some((p) => p.path.startsWith(c.path)),
          JSON.stringify(problems),
        );
        return true;
      },
    );
  });
}
