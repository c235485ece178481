import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import {
  type ArtifactDigest,
  createProvenanceVerifier,
  type IdentityPolicy,
  type SigstoreBundleJSON,
} from "./index.js";
import {
  expectCode,
  isKeyBundle,
  loadPinnedTrust,
  materialOf,
  readBundles,
  readExpected,
} from "./provenance-corpus.test-support.js";

const EXPECTED = readExpected();
const verifier = createProvenanceVerifier(loadPinnedTrust());
const PW = "@playwright__cli@0.1.1.json";
const PW_DIGEST: ArtifactDigest = {
  algorithm: "sha512",
  hex: EXPECTED.npm.find((s) => s.file === PW)?.tarballSha512Hex ?? "",
};
const PW_POLICY: IdentityPolicy = {
  repo: "microsoft/playwright-cli",
  sourceRef: "refs/tags/v0.1.1",
};
const NPM_PUBLISH = "https://github.com/npm/attestation/tree/main/specs/publish/v0.1";
const OLD_NPM_KEY = "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA";
const SIGSTORE_040 = EXPECTED.npm.find((s) => s.file === "sigstore@0.4.0.json");
const GH = (file: string) => EXPECTED.githubArtifactAttestations.find((s) => s.file === file);
const REUSABLE = GH("github-artifact/reusable-workflow-attestation.sigstore.json");
const CUSTOM = GH("github-artifact/custom-issuer.sigstore.json");

/** A corpus file with its keyless (`slsa`) or public-key (`key`) bundles rewritten. */
function edited(file: string, which: "slsa" | "key", edit: (vm: Record<string, unknown>) => void) {
  return () => {
    const bundles = readBundles(file);
    for (const b of bundles) if (isKeyBundle(b) === (which === "key")) edit(materialOf(b));
    return bundles;
  };
}

/** The leaf certificate of another sample's provenance bundle, as a v0.3 `certificate`. */
function leafCertificateOf(file: string): unknown {
  const vm = materialOf(readBundles(file).find((b) => !isKeyBundle(b)) as SigstoreBundleJSON);
  const chain = vm["x509CertificateChain"] as { certificates: unknown[] } | undefined;
  return vm["certificate"] ?? chain?.certificates[0];
}

interface Case {
  name: string;
  bundles: () => SigstoreBundleJSON[];
  policy?: IdentityPolicy;
  digest?: ArtifactDigest;
  code: string | null;
  check?: string;
}

const file = (name: string) => () => readBundles(name);
const mismatch = "ERR_PROVENANCE_IDENTITY_MISMATCH";
const sha512Of = (text: string) => createHash("sha512").update(text).digest("hex");

const CASES: Case[] = [
  { name: "control: untouched bundle, exact identity", bundles: file(PW), code: null },
  {
    name: "N1 subject digest rewritten",
    bundles: file(`negative/changed-digest__${PW}`),
    code: "ERR_PROVENANCE_TLOG_INVALID",
  },
  {
    name: "N1b artifact differs from the subject",
    bundles: file(PW),
    digest: { algorithm: "sha512", hex: sha512Of("other") },
    code: "ERR_PROVENANCE_SUBJECT_MISMATCH",
    check: "subject_digest",
  },
  {
    name: "N1c sha256 given, subjects carry sha512 only",
    bundles: file(PW),
    digest: { algorithm: "sha256", hex: "a".repeat(64) },
    code: "ERR_PROVENANCE_SUBJECT_MISMATCH",
  },
  {
    name: "N2 payload rewritten",
    bundles: file(`negative/changed-payload__${PW}`),
    code: "ERR_PROVENANCE_TLOG_INVALID",
  },
  {
    name: "N2b payload rewritten, tlog entries stripped",
    bundles: edited(`negative/changed-payload__${PW}`, "slsa", (vm) => {
      vm["tlogEntries"] = [];
    }),
    code: "ERR_PROVENANCE_TIMESTAMP_INVALID",
  },
  {
    name: "N3a another repository",
    bundles: file(`negative/wrong-identity__${PW}`),
    policy: { repo: "microsoft/playwright" },
    code: mismatch,
    check: "source_repository",
  },
  {
    name: "N3b branch instead of tag",
    bundles: file(`negative/wrong-identity__${PW}`),
    policy: { ...PW_POLICY, sourceRef: "refs/heads/main" },
    code: mismatch,
    check: "source_ref",
  },
  {
    name: "N3c another issuer",
    bundles: file(`negative/wrong-identity__${PW}`),
    policy: { ...PW_POLICY, certOidcIssuer: "https://gitlab.com" },
    code: mismatch,
    check: "issuer",
  },
  {
    name: "N4 certificate swapped in from another package",
    bundles: edited(PW, "slsa", (vm) => {
      vm["certificate"] = leafCertificateOf("sigstore@2.3.1.json");
    }),
    code: "ERR_PROVENANCE_CERTIFICATE_INVALID",
  },
  {
    name: "N5 publish attestation claims the retired npm key",
    bundles: edited(PW, "key", (vm) => {
      vm["publicKey"] = { hint: OLD_NPM_KEY };
    }),
    code: "ERR_PROVENANCE_KEY_NOT_VALID",
  },
  {
    name: "N5b publish attestation with an unknown key hint",
    bundles: edited(PW, "key", (vm) => {
      vm["publicKey"] = { hint: "SHA256:unknown" };
    }),
    code: "ERR_PROVENANCE_UNKNOWN_KEY",
  },
  {
    name: "glob refs/tags/v* matches",
    bundles: file(PW),
    policy: { ...PW_POLICY, sourceRef: "refs/tags/v*" },
    code: null,
  },
  {
    name: "glob refs/* stays within one segment",
    bundles: file(PW),
    policy: { ...PW_POLICY, sourceRef: "refs/*" },
    code: mismatch,
    check: "source_ref",
  },
  {
    name: "glob refs/** crosses segments",
    bundles: file(PW),
    policy: { ...PW_POLICY, sourceRef: "refs/**" },
    code: null,
  },
  {
    name: "repository id pinned, wrong",
    bundles: file(PW),
    policy: { ...PW_POLICY, repoId: "1" },
    code: mismatch,
    check: "repository_id",
  },
  {
    name: "owner id pinned, wrong",
    bundles: file(PW),
    policy: { ...PW_POLICY, ownerId: "1" },
    code: mismatch,
    check: "owner_id",
  },
  {
    name: "repository id on a certificate without ids",
    bundles: file("sigstore@0.4.0.json"),
    digest: { algorithm: "sha512", hex: SIGSTORE_040?.tarballSha512Hex ?? "" },
    policy: { repoId: "495574555" },
    code: mismatch,
    check: "repository_id",
  },
  {
    name: "self-hosted denied, certificate predates the runner extension",
    bundles: file("sigstore@0.4.0.json"),
    digest: { algorithm: "sha512", hex: SIGSTORE_040?.tarballSha512Hex ?? "" },
    policy: { repo: "sigstore/sigstore-js", denySelfHostedRunners: true },
    code: mismatch,
    check: "runner_environment",
  },
  {
    name: "builder id differs",
    bundles: file(PW),
    policy: { ...PW_POLICY, builderId: "https://github.com/actions/runner/self-hosted" },
    code: mismatch,
    check: "builder_id",
  },
  {
    name: "signer workflow without host or ref",
    bundles: file(PW),
    policy: {
      ...PW_POLICY,
      signerWorkflow: "microsoft/playwright-cli/.github/workflows/publish.yml",
    },
    code: null,
  },
  {
    name: "signer workflow at another ref",
    bundles: file(PW),
    policy: {
      ...PW_POLICY,
      signerWorkflow:
        "github.com/microsoft/playwright-cli/.github/workflows/publish.yml@refs/heads/main",
    },
    code: mismatch,
    check: "signer_workflow",
  },
  {
    name: "predicate type nobody attested",
    bundles: file(PW),
    policy: { ...PW_POLICY, predicateType: "https://example.com/none" },
    code: "ERR_PROVENANCE_NO_ATTESTATION",
    check: "predicate_type",
  },
  {
    name: "npm publish attestation selected: it names no workload",
    bundles: file(PW),
    policy: { ...PW_POLICY, predicateType: NPM_PUBLISH },
    code: mismatch,
    check: "issuer",
  },
  {
    name: "only the publish attestation, no provenance",
    bundles: () => readBundles(PW).filter(isKeyBundle),
    code: "ERR_PROVENANCE_NO_ATTESTATION",
  },
  {
    name: "custom issuer under the default issuer",
    bundles: file(CUSTOM?.file ?? ""),
    digest: { algorithm: "sha256", hex: CUSTOM?.artifactSha256 ?? "" },
    policy: { repo: "too-legit/attest" },
    code: mismatch,
    check: "issuer",
  },
  {
    name: "reusable workflow signer outside the repository",
    bundles: file(REUSABLE?.file ?? ""),
    digest: { algorithm: "sha256", hex: REUSABLE?.artifactSha256 ?? "" },
    policy: { repo: "malancas/attest-demo" },
    code: mismatch,
    check: "signer_workflow",
  },
  {
    name: "reusable workflow signer named by signerRepo",
    bundles: file(REUSABLE?.file ?? ""),
    digest: { algorithm: "sha256", hex: REUSABLE?.artifactSha256 ?? "" },
    policy: { repo: "malancas/attest-demo", signerRepo: "github/artifact-attestations-workflows" },
    code: null,
  },
  {
    name: "policy naming nobody",
    bundles: file(PW),
    policy: { sourceRef: "refs/tags/v0.1.1" },
    code: "ERR_PROVENANCE_POLICY_INVALID",
  },
  { name: "no bundles", bundles: () => [], code: "ERR_PROVENANCE_NO_ATTESTATION" },
  {
    name: "not a Sigstore bundle",
    bundles: () => [{ mediaType: "x", verificationMaterial: {} }],
    code: "ERR_PROVENANCE_MALFORMED",
  },
];

describe("verification failures name the check (negative/ and variants)", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const input = {
        bundles: c.bundles(),
        artifactDigest: c.digest ?? PW_DIGEST,
        policy: c.policy ?? PW_POLICY,
      };
      if (c.code === null) assert.equal(verifier.verify(input).verified, true);
      else expectCode(() => verifier.verify(input), c.code, c.check);
    });
  }

  test("the failed check carries expected and actual", () => {
    const policy = { ...PW_POLICY, sourceRef: "refs/heads/*" };
    assert.throws(
      () => verifier.verify({ bundles: readBundles(PW), artifactDigest: PW_DIGEST, policy }),
      (err: { detail?: unknown; message?: string }) => {
        assert.deepEqual(err.detail, {
          check: "source_ref",
          expected: "refs/heads/*",
          actual: "refs/tags/v0.1.1",
          bundle: 1,
        });
        assert.equal(err.message, "source_ref: refs/tags/v0.1.1 does not match refs/heads/*");
        return true;
      },
    );
  });
});
