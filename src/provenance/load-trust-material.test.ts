import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { hasCode } from "../errors/index.js";
import { loadTrustMaterial, parseTrustMaterial } from "./load-trust-material.js";

const TRUST = fileURLToPath(new URL("../../../trust/", import.meta.url));

test("loads the pinned public-good root and npm's attestation keys", () => {
  const trust = loadTrustMaterial({
    trustedRootPaths: [join(TRUST, "trusted_root.public-good.json")],
    npmRegistryKeysPath: join(TRUST, "npm-registry-keys.json"),
  });
  assert.ok(trust.sigstore.certificateAuthorities.length > 0);
  assert.deepEqual([...trust.registryKeyIds].sort(), [
    "SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U",
    "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA",
  ]);
});

const BAD: { name: string; input: () => Parameters<typeof parseTrustMaterial>[0] }[] = [
  { name: "no root", input: () => ({ trustedRoots: [] }) },
  { name: "a root without CAs or logs", input: () => ({ trustedRoots: [{ mediaType: "x" }] }) },
  {
    name: "npm keys without keys",
    input: () => ({ trustedRoots: [{}], npmRegistryKeys: { nope: 1 } }),
  },
];
for (const c of BAD) {
  test(`refuses ${c.name}`, () => {
    assert.throws(
      () => parseTrustMaterial(c.input()),
      (e) => hasCode(e, "ERR_PROVENANCE_TRUST_MATERIAL_INVALID"),
    );
  });
}

test("refuses a missing or unreadable file", () => {
  const dir = mkdtempSync(join(tmpdir(), "leash-trust-"));
  try {
    writeFileSync(join(dir, "root.json"), "{not json");
    for (const path of [join(dir, "root.json"), join(dir, "absent.json")]) {
      assert.throws(
        () => loadTrustMaterial({ trustedRootPaths: [path] }),
        (e) => hasCode(e, "ERR_PROVENANCE_TRUST_MATERIAL_INVALID"),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
