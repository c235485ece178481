import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { describe, test } from "node:test";
import {
  type ArtifactDigest,
  createProvenanceVerifier,
  createSlsaProvenance,
  digestFile,
  type IdentityPolicy,
  signStatement,
  toSigstoreBundle,
} from "./index.js";
import {
  CORPUS,
  expectCode,
  loadPinnedTrust,
  readBundles,
  readExpected,
  toOwnerName,
} from "./provenance-corpus.test-support.js";

const EXPECTED = readExpected();
const trust = loadPinnedTrust();
const verifier = createProvenanceVerifier(trust);
const PLAYWRIGHT_FILE = "@playwright__cli@0.1.1.json";
const PW_DIGEST: ArtifactDigest = {
  algorithm: "sha512",
  hex: EXPECTED.npm.find((s) => s.file === PLAYWRIGHT_FILE)?.tarballSha512Hex ?? "",
};
const PW_POLICY: IdentityPolicy = {
  repo: "microsoft/playwright-cli",
  sourceRef: "refs/tags/v0.1.1",
};

describe("npm registry attestations (EXPECTED.json)", () => {
  for (const sample of EXPECTED.npm) {
    const cert = sample.certificate;
    const exp = sample.expected;
    const digest: ArtifactDigest = { algorithm: "sha512", hex: sample.tarballSha512Hex };
    const signer = cert.buildSignerURI ?? cert.san;
    const repo = toOwnerName(exp.sourceRepository);

    test(`${sample.file}: verifies with the exact identity`, () => {
      const policy: IdentityPolicy = { repo, sourceRef: exp.ref, signerWorkflow: signer };
      if (cert.sourceRepositoryIdentifier) policy.repoId = cert.sourceRepositoryIdentifier;
      if (cert.sourceRepositoryOwnerIdentifier)
        policy.ownerId = cert.sourceRepositoryOwnerIdentifier;
      const result = verifier.verify({
        bundles: readBundles(sample.file),
        artifactDigest: digest,
        policy,
      });
      assert.equal(result.identity.length, 1);
      const id = result.identity[0]!;
      assert.equal(id.signer, "certificate");
      assert.equal(id.issuer, exp.oidcIssuer);
      assert.equal(id.sourceRepository, exp.sourceRepository);
      assert.equal(id.sourceRef, exp.ref);
      assert.equal(id.commit, exp.commit);
      assert.equal(id.builderId, exp.builderId);
      assert.equal(id.signerWorkflow, signer);
      assert.equal(id.runnerEnvironment, exp.runnerEnvironment ?? undefined);
      assert.equal(id.predicateType, sample.provenance.predicateType);
      assert.equal(result.statements[0]?.predicateType, sample.provenance.predicateType);
    });

    // Without signer flags the signer workflow must live in the source repository.
    const signerInRepo = toOwnerName(signer).startsWith(`${repo}/`);
    test(`${sample.file}: repo-only policy ${signerInRepo ? "passes" : "fails on signer_workflow"}`, () => {
      const run = () =>
        verifier.verify({
          bundles: readBundles(sample.file),
          artifactDigest: digest,
          policy: { repo },
        });
      if (signerInRepo) assert.equal(run().verified, true);
      else expectCode(run, "ERR_PROVENANCE_IDENTITY_MISMATCH", "signer_workflow");
    });
  }
});

describe("GitHub artifact attestations (EXPECTED.json)", () => {
  for (const sample of EXPECTED.githubArtifactAttestations) {
    const cert = sample.certificate;
    test(`${sample.file}: ${sample.expectFailWithPublicGoodRoot ? "fails offline with the public-good root" : "verifies"}`, () => {
      const digest = digestFile(`${CORPUS}${sample.artifact}`, "sha256");
      assert.equal(digest.hex, sample.artifactSha256);
      const policy: IdentityPolicy = {
        repo: toOwnerName(sample.provenance.repository),
        signerWorkflow: cert.buildSignerURI ?? cert.san,
        certOidcIssuer: cert.issuer,
        sourceRef: "refs/heads/*",
        denySelfHostedRunners: true,
      };
      const run = () =>
        verifier.verify({ bundles: readBundles(sample.file), artifactDigest: digest, policy });
      if (sample.expectFailWithPublicGoodRoot) {
        // GitHub's private instance signs with its own root, which is not pinned here.
        expectCode(run, "ERR_PROVENANCE_TIMESTAMP_INVALID");
        return;
      }
      const id = run().identity[0]!;
      assert.equal(id.sourceRepository, cert.sourceRepositoryURI);
      assert.equal(id.commit, cert.sourceRepositoryDigest);
      assert.equal(id.sourceRepositoryId, cert.sourceRepositoryIdentifier);
      assert.equal(id.builderId, sample.provenance.builderId);
    });
  }
});

describe("verified-bundle cache", () => {
  test("a bundle already verified is served from the cache", () => {
    const v = createProvenanceVerifier(trust, { cacheEntries: 8 });
    const input = {
      bundles: readBundles(PLAYWRIGHT_FILE),
      artifactDigest: PW_DIGEST,
      policy: PW_POLICY,
    };
    v.verify(input);
    assert.deepEqual(v.cacheStats(), { hits: 0, misses: 2, size: 2 });
    const again = v.verify({ ...input, bundles: readBundles(PLAYWRIGHT_FILE) });
    assert.deepEqual(v.cacheStats(), { hits: 2, misses: 2, size: 2 });
    assert.equal(again.bundleDigests.length, 1);
  });

  test("a cached bundle still gets the policy and subject checks", () => {
    const v = createProvenanceVerifier(trust);
    const bundles = readBundles(PLAYWRIGHT_FILE);
    v.verify({ bundles, artifactDigest: PW_DIGEST, policy: PW_POLICY });
    expectCode(
      () => v.verify({ bundles, artifactDigest: PW_DIGEST, policy: { repo: "acme/other" } }),
      "ERR_PROVENANCE_IDENTITY_MISMATCH",
    );
    expectCode(
      () =>
        v.verify({
          bundles,
          artifactDigest: { algorithm: "sha512", hex: "0".repeat(128) },
          policy: PW_POLICY,
        }),
      "ERR_PROVENANCE_SUBJECT_MISMATCH",
    );
  });

  test("the cache is bounded", () => {
    const v = createProvenanceVerifier(trust, { cacheEntries: 1 });
    v.verify({
      bundles: readBundles(PLAYWRIGHT_FILE),
      artifactDigest: PW_DIGEST,
      policy: PW_POLICY,
    });
    assert.equal(v.cacheStats().size, 1);
  });
});

describe("leash's own bundles through the verifier", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const keyid = "leash-2026-01";
  const signer = {
    keyid,
    sign: (d: Uint8Array) => sign("sha256", d, { key: privateKey, dsaEncoding: "der" }),
  };
  const job = {
    issuer: "https://token.actions.githubusercontent.com",
    repository: "acme/app",
    repositoryId: "1001",
    ownerId: "2002",
    ref: "refs/tags/v1.2.3",
    sha: "0123456789abcdef0123456789abcdef01234567",
    workflowRef: "acme/app/.github/workflows/release.yml@refs/tags/v1.2.3",
    runId: "42",
    runAttempt: "1",
    runnerEnvironment: "github-hosted",
    builderId: "https://leash.example/builder",
  };
  const hex = "c".repeat(64);
  const bundle = toSigstoreBundle(
    signStatement(createSlsaProvenance(job, { digest: `sha256:${hex}` }), signer),
    keyid,
  );
  const digest: ArtifactDigest = { algorithm: "sha256", hex };
  const leashVerifier = createProvenanceVerifier(trust, { leashKeys: [{ keyid, publicKey }] });

  test("verifies against leash's key; the identity is the statement's", () => {
    const policy = {
      repo: "acme/app",
      repoId: "1001",
      ownerId: "2002",
      sourceRef: "refs/tags/v*",
      denySelfHostedRunners: true,
    };
    const id = leashVerifier.verify({ bundles: [bundle], artifactDigest: digest, policy })
      .identity[0]!;
    assert.equal(id.signer, "leash-key");
    assert.equal(id.commit, job.sha);
    assert.equal(
      id.signerWorkflow,
      "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3",
    );
  });

  test("identity flags are matched against the statement", () => {
    expectCode(
      () =>
        leashVerifier.verify({
          bundles: [bundle],
          artifactDigest: digest,
          policy: { repo: "acme/app", sourceRef: "refs/heads/main" },
        }),
      "ERR_PROVENANCE_IDENTITY_MISMATCH",
      "source_ref",
    );
  });

  test("without leash's keys the hint is unknown", () => {
    expectCode(
      () =>
        verifier.verify({
          bundles: [bundle],
          artifactDigest: digest,
          policy: { repo: "acme/app" },
        }),
      "ERR_PROVENANCE_UNKNOWN_KEY",
    );
  });
});
