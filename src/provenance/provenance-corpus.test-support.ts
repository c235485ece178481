/**
 * Test support (not a test): the real Sigstore corpus at ../shared/corpus/provenance, typed
 * views of its EXPECTED.json, and the pinned trust material. Fails loudly when the corpus
 * is missing rather than letting tests pass vacuously.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { hasCode } from "../errors/index.js";
import { loadTrustMaterial, parseBundleFile, type SigstoreBundleJSON } from "./index.js";

// dist/src/provenance/ → the repository root is three levels up; shared/ sits beside it.
export const CORPUS = fileURLToPath(
  new URL("../../../../shared/corpus/provenance/", import.meta.url),
);
export const TRUST = fileURLToPath(new URL("../../../trust/", import.meta.url));

export interface CorpusCertificate {
  san: string;
  issuer: string;
  sourceRepositoryURI: string;
  sourceRepositoryDigest: string;
  buildSignerURI?: string;
  sourceRepositoryIdentifier?: string;
  sourceRepositoryOwnerIdentifier?: string;
}

export interface NpmSample {
  file: string;
  tarballSha512Hex: string;
  certificate: CorpusCertificate;
  provenance: { predicateType: string };
  expected: {
    sourceRepository: string;
    ref: string;
    commit: string;
    builderId: string;
    oidcIssuer: string;
    runnerEnvironment: string | null;
  };
}

export interface GithubSample {
  file: string;
  artifact: string;
  artifactSha256: string;
  certificate: CorpusCertificate;
  provenance: { repository: string; builderId: string };
  expectFailWithPublicGoodRoot: boolean;
}

export interface Expected {
  npm: NpmSample[];
  githubArtifactAttestations: GithubSample[];
}

export function readExpected(): Expected {
  if (!existsSync(`${CORPUS}EXPECTED.json`)) {
    throw new Error(
      `provenance corpus missing: expected ${CORPUS}EXPECTED.json (shared/ beside the repository)`,
    );
  }
  return JSON.parse(readFileSync(`${CORPUS}EXPECTED.json`, "utf8")) as Expected;
}

export function loadPinnedTrust() {
  return loadTrustMaterial({
    trustedRootPaths: [`${TRUST}trusted_root.public-good.json`],
    npmRegistryKeysPath: `${TRUST}npm-registry-keys.json`,
  });
}

/** Fresh copies of a corpus file's bundles (tests may edit them; the corpus stays as is). */
export function readBundles(file: string): SigstoreBundleJSON[] {
  return parseBundleFile(readFileSync(`${CORPUS}${file}`, "utf8"));
}

/** A bundle's verification material, for tests that rewrite it. */
export function materialOf(bundle: SigstoreBundleJSON): Record<string, unknown> {
  return bundle.verificationMaterial as Record<string, unknown>;
}

/** True for a public-key bundle (npm publish attestation or leash's own). */
export function isKeyBundle(bundle: SigstoreBundleJSON): boolean {
  return "publicKey" in materialOf(bundle);
}

/** `https://github.com/owner/name` → `owner/name`. */
export function toOwnerName(uri: string): string {
  return new URL(uri).pathname.slice(1);
}

/** Asserts `fn` throws the coded error (and, if given, names `check`). */
export function expectCode(fn: () => unknown, code: string, check?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(hasCode(err, code), `expected ${code}, got ${(err as Error).message}`);
    if (check) assert.equal(err.detail?.["check"], check);
    return true;
  });
}
