/**
 * `leash verify` offline on the real Sigstore corpus (../shared/corpus/provenance) and on a
 * bundle signed with a leash-style key: exit 0 verified, 1 not verified (naming the failed
 * check), 2 unusable input. No server, no network.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli/main.js";
import { createSlsaProvenance, signStatement, toSigstoreBundle } from "../src/provenance/index.js";

// dist/test/ → the repository root is two levels up; shared/ sits beside it.
const CORPUS = fileURLToPath(new URL("../../../shared/corpus/provenance/", import.meta.url));
const GH_BUNDLE = `${CORPUS}github-artifact/reusable-workflow-attestation.sigstore.json`;
const GH_ARTIFACT = `${CORPUS}github-artifact/reusable-workflow-artifact`;
const GH_DIGEST = "sha256:49a3aa6075e0f49f82843e74b5baa614ad2a588e6675612bf108a0a008c5ac25";

interface NpmSample {
  file: string;
  tarballSha512Hex: string;
  certificate: { san: string; buildSignerURI?: string };
  expected: { sourceRepository: string; ref: string };
}
const expected = JSON.parse(readFileSync(`${CORPUS}EXPECTED.json`, "utf8")) as {
  npm: NpmSample[];
};

async function runCli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    env,
    cwd: process.cwd(),
    out: (t: string) => void out.push(t),
    err: (t: string) => void err.push(t),
  };
  const code = await main(args, env, io);
  return { code, out: out.join(""), err: err.join("") };
}

const dir = mkdtempSync(join(tmpdir(), "leash-verify-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("leash verify on the Sigstore corpus", () => {
  const gh = ["--bundle", GH_BUNDLE, "--repo", "malancas/attest-demo"];
  const signer = ["--signer-repo", "github/artifact-attestations-workflows"];

  test("a GitHub artifact attestation verifies against the artifact file", async () => {
    const res = await runCli(["verify", GH_ARTIFACT, ...gh, ...signer]);
    assert.equal(res.code, 0, res.err);
    assert.match(res.out, /^verified: /);
  });

  test("the same attestation verifies by --digest instead of the file", async () => {
    const res = await runCli(["verify", "--digest", GH_DIGEST, ...gh, ...signer, "--json"]);
    assert.equal(res.code, 0, res.err);
    assert.equal(JSON.parse(res.out).identity[0].sourceRepositoryId, "804070735");
  });

  for (const sample of expected.npm) {
    test(`npm ${sample.file} verifies by its tarball's sha512`, async () => {
      const repo = new URL(sample.expected.sourceRepository).pathname.slice(1);
      // Some packages are built by a reusable workflow of another repository (SLSA generator).
      const signerUri = sample.certificate.buildSignerURI ?? sample.certificate.san;
      const signerRepo = new URL(signerUri).pathname.split("/").slice(1, 3).join("/");
      const res = await runCli([
        "verify",
        "--digest",
        `sha512:${sample.tarballSha512Hex}`,
        "--bundle",
        `${CORPUS}${sample.file}`,
        "--repo",
        repo,
        "--signer-repo",
        signerRepo,
        "--source-ref",
        sample.expected.ref,
        "--json",
      ]);
      assert.equal(res.code, 0, res.err);
      assert.equal(JSON.parse(res.out).verified, true);
    });
  }

  const notVerified: { name: string; args: string[]; check?: string; line?: RegExp }[] = [
    {
      name: "a source ref glob the build doesn't match",
      args: ["verify", GH_ARTIFACT, ...gh, ...signer, "--source-ref", "refs/tags/v*"],
      check: "source_ref",
      line: /source_ref: refs\/heads\/main does not match refs\/tags\/v\*/,
    },
    {
      name: "another repository",
      args: ["verify", GH_ARTIFACT, "--bundle", GH_BUNDLE, "--repo", "evil/app", ...signer],
      check: "source_repository",
    },
    {
      name: "the signer workflow outside --repo (gh's default)",
      args: ["verify", GH_ARTIFACT, ...gh],
      check: "signer_workflow",
    },
    {
      name: "another artifact's digest",
      args: ["verify", "--digest", `sha256:${"0".repeat(64)}`, ...gh, ...signer],
      check: "subject_digest",
    },
    {
      name: "a tampered payload (negative/changed-payload)",
      args: [
        "verify",
        "--digest",
        `sha512:${"0".repeat(128)}`,
        "--bundle",
        `${CORPUS}negative/changed-payload__@playwright__cli@0.1.1.json`,
        "--repo",
        "microsoft/playwright-cli",
      ],
    },
  ];
  for (const c of notVerified) {
    test(`exit 1 for ${c.name}, naming the check`, async () => {
      const res = await runCli(c.args);
      assert.equal(res.code, 1, res.err);
      assert.match(res.err, /^leash: not verified: /);
      if (c.line) assert.match(res.err, c.line);
      if (c.check) {
        const json = await runCli([...c.args, "--json"]);
        assert.equal(JSON.parse(json.out).check, c.check);
      }
    });
  }

  test("exit 1 for a certificate outside the pinned roots (GitHub's private instance)", async () => {
    const res = await runCli([
      "verify",
      `${CORPUS}github-artifact/github_provenance_demo-0.0.12-py3-none-any.whl`,
      "--bundle",
      `${CORPUS}github-artifact/github-private-instance-whl.jsonl`,
      "--repo",
      "actions/attest-demo",
      "--json",
    ]);
    assert.equal(res.code, 1, res.err);
    assert.match(JSON.parse(res.out).code, /^ERR_PROVENANCE_/);
  });

  const unusable: { name: string; args: () => string[] }[] = [
    { name: "no bundle", args: () => ["verify", GH_ARTIFACT, "--repo", "a/b"] },
    { name: "no artifact", args: () => ["verify", "--bundle", GH_BUNDLE, "--repo", "a/b"] },
    {
      name: "an unreadable artifact",
      args: () => ["verify", join(dir, "missing"), "--bundle", GH_BUNDLE, "--repo", "a/b"],
    },
    {
      name: "a file that holds no bundle",
      args: () => {
        writeFileSync(join(dir, "not-a-bundle.json"), '{"hello":1}');
        return ["verify", GH_ARTIFACT, "--bundle", join(dir, "not-a-bundle.json"), "--repo", "a/b"];
      },
    },
    { name: "a policy naming nobody", args: () => ["verify", GH_ARTIFACT, "--bundle", GH_BUNDLE] },
    { name: "a malformed digest", args: () => ["verify", "--digest", "md5:x", ...gh] },
  ];
  for (const c of unusable) {
    test(`exit 2 for ${c.name}`, async () => {
      const res = await runCli(c.args());
      assert.equal(res.code, 2, res.err);
    });
  }

  test("Sigstore bundles verify with LEASH_URL set to nothing listening (offline)", async () => {
    const res = await runCli(["verify", GH_ARTIFACT, ...gh, ...signer], {
      LEASH_URL: "http://127.0.0.1:9",
    });
    assert.equal(res.code, 0, res.err);
  });
});

describe("leash verify on a leash-signed bundle", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const kid = "leash-test-key";
  const digest = `sha256:${"ab".repeat(32)}`;
  const statement = createSlsaProvenance(
    {
      issuer: "https://token.actions.githubusercontent.com",
      repository: "acme/app",
      repositoryId: "74",
      ownerId: "65",
      ref: "refs/heads/main",
      sha: "4f1d8c2a9b3e7d6c5a4b3c2d1e0f9a8b7c6d5e4f",
      workflowRef: "acme/app/.github/workflows/release.yml@refs/heads/main",
      runId: "1",
      runAttempt: "1",
      runnerEnvironment: "github-hosted",
      builderId: "https://leash.example/builder",
    },
    { digest },
  );
  const envelope = signStatement(statement, {
    keyid: kid,
    sign: (data) => sign("sha256", data, { key: privateKey, dsaEncoding: "der" }),
  });
  const bundleFile = join(dir, "leash.sigstore.json");
  writeFileSync(bundleFile, JSON.stringify(toSigstoreBundle(envelope, kid)));
  const jwks = join(dir, "jwks.json");
  writeFileSync(jwks, JSON.stringify({ keys: [{ ...publicKey.export({ format: "jwk" }), kid }] }));
  const pem = join(dir, "leash.pem");
  writeFileSync(pem, publicKey.export({ format: "pem", type: "spki" }) as string);
  const other = join(dir, "other.pem");
  const otherKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;
  writeFileSync(other, otherKey.export({ format: "pem", type: "spki" }) as string);
  const base = ["verify", "--digest", digest, "--bundle", bundleFile, "--repo", "acme/app"];

  const cases: { name: string; args: string[]; code: number }[] = [
    { name: "a JWKS --key", args: [...base, "--key", jwks], code: 0 },
    { name: "a PEM --key", args: [...base, "--key", pem, "--source-ref", "refs/heads/*"], code: 0 },
    { name: "another key", args: [...base, "--key", other], code: 1 },
    { name: "no key at all", args: base, code: 1 },
    {
      name: "a ref the statement doesn't name",
      args: [...base, "--key", jwks, "--source-ref", "refs/tags/*"],
      code: 1,
    },
  ];
  for (const c of cases) {
    test(`exit ${c.code} with ${c.name}`, async () => {
      const res = await runCli(c.args);
      assert.equal(res.code, c.code, res.err);
    });
  }
});
