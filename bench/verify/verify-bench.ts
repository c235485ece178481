/**
 * Keyless Sigstore bundle verification: leash's verifier beside raw `@sigstore/verify`, on
 * the same real bundles in one run. Both build their trust material and verifier once.
 * Prints bundles/s, ms per bundle and the ratio (target: leash ≤ 1.2× raw), then the same
 * bundles again through a verifier with its cache on, to show already-verified bundles are
 * not verified again. Run: `npx tsc -b && node dist/bench/verify/verify-bench.js`.
 * Figures only; nothing here asserts on timings.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleFromJSON } from "@sigstore/bundle";
import { toSignedEntity } from "@sigstore/verify";
import {
  type ArtifactDigest,
  createProvenanceVerifier,
  type IdentityPolicy,
  loadTrustMaterial,
  parseBundleFile,
  type SigstoreBundleJSON,
  type TrustMaterial,
} from "../../src/provenance/index.js";
import { createRawVerifier } from "./create-raw-verifier.js";

// dist/bench/verify/ → repository root three levels up; shared/ sits beside it.
const CORPUS = fileURLToPath(new URL("../../../../shared/corpus/provenance/", import.meta.url));
const TRUST = fileURLToPath(new URL("../../../trust/", import.meta.url));
const ROUNDS = Number(process.env["LEASH_BENCH_ROUNDS"] ?? 10);

interface Sample {
  name: string;
  bundle: SigstoreBundleJSON;
  digest: ArtifactDigest;
  policy: IdentityPolicy;
}

interface CorpusCertificate {
  san: string;
  issuer: string;
  buildSignerURI?: string;
}

interface Expected {
  npm: {
    file: string;
    certificate: CorpusCertificate;
    expected: { sourceRepository: string };
    tarballSha512Hex: string;
  }[];
  githubArtifactAttestations: {
    file: string;
    certificate: CorpusCertificate;
    provenance: { repository: string };
    artifactSha256: string;
    expectFailWithPublicGoodRoot: boolean;
  }[];
}

/** Every keyless bundle of the corpus that verifies offline, with its artifact and identity. */
function loadSamples(): Sample[] {
  if (!existsSync(`${CORPUS}EXPECTED.json`)) {
    throw new Error(`provenance corpus missing at ${CORPUS} (shared/ beside the repository)`);
  }
  const expected = JSON.parse(readFileSync(`${CORPUS}EXPECTED.json`, "utf8")) as Expected;
  const npm = expected.npm.map((s) => ({
    file: s.file,
    cert: s.certificate,
    repo: s.expected.sourceRepository,
    digest: { algorithm: "sha512", hex: s.tarballSha512Hex } as ArtifactDigest,
  }));
  const gh = expected.githubArtifactAttestations
    .filter((s) => !s.expectFailWithPublicGoodRoot)
    .map((s) => ({
      file: s.file,
      cert: s.certificate,
      repo: s.provenance.repository,
      digest: { algorithm: "sha256", hex: s.artifactSha256 } as ArtifactDigest,
    }));
  return [...npm, ...gh].map((s) => ({
    name: s.file,
    bundle: keylessBundle(s.file),
    digest: s.digest,
    policy: {
      repo: new URL(s.repo).pathname.slice(1),
      signerWorkflow: s.cert.buildSignerURI ?? s.cert.san,
      certOidcIssuer: s.cert.issuer,
    },
  }));
}

/** The certificate-signed (keyless) bundle of a corpus file. */
function keylessBundle(file: string): SigstoreBundleJSON {
  const bundles = parseBundleFile(readFileSync(`${CORPUS}${file}`, "utf8"));
  const found = bundles.find((b) => !("publicKey" in (b.verificationMaterial as object)));
  if (!found) throw new Error(`${file}: no keyless bundle`);
  return found;
}

/** Milliseconds for one pass of `fn` over every sample. */
function timePass(samples: Sample[], fn: (s: Sample) => void): number {
  const start = performance.now();
  for (const s of samples) fn(s);
  return performance.now() - start;
}

function main(): void {
  const samples = loadSamples();
  const trust: TrustMaterial = loadTrustMaterial({
    trustedRootPaths: [`${TRUST}trusted_root.public-good.json`],
    npmRegistryKeysPath: `${TRUST}npm-registry-keys.json`,
  });
  const raw = createRawVerifier(
    JSON.parse(readFileSync(`${TRUST}trusted_root.public-good.json`, "utf8")),
  );
  const leashCold = createProvenanceVerifier(trust, { cacheEntries: 0 });
  const leashCached = createProvenanceVerifier(trust);
  const viaRaw = (s: Sample) => raw.verify(toSignedEntity(bundleFromJSON(s.bundle)));
  const viaLeash = (v: typeof leashCold) => (s: Sample) =>
    v.verify({ bundles: [s.bundle], artifactDigest: s.digest, policy: s.policy });

  // Warm up JIT and lazily built structures on both paths before measuring.
  timePass(samples, viaRaw);
  timePass(samples, viaLeash(leashCold));
  let rawMs = 0;
  let leashMs = 0;
  // Interleaved rounds so machine noise falls on both sides alike.
  for (let i = 0; i < ROUNDS; i++) {
    rawMs += timePass(samples, viaRaw);
    leashMs += timePass(samples, viaLeash(leashCold));
  }
  timePass(samples, viaLeash(leashCached));
  const before = leashCached.cacheStats();
  let cachedMs = 0;
  for (let i = 0; i < ROUNDS; i++) cachedMs += timePass(samples, viaLeash(leashCached));
  const after = leashCached.cacheStats();
  printTable(samples.length * ROUNDS, { rawMs, leashMs, cachedMs });
  console.log(
    `cache: ${after.hits - before.hits} hits, ${after.misses - before.misses} misses over ` +
      `${samples.length * ROUNDS} cached verifications (${after.size} bundles kept)`,
  );
}

function printTable(count: number, t: { rawMs: number; leashMs: number; cachedMs: number }): void {
  const row = (name: string, ms: number) =>
    `${name.padEnd(34)}${(count / (ms / 1000)).toFixed(1).padStart(12)}${(ms / count).toFixed(3).padStart(12)}`;
  console.log(
    `keyless bundle verification, ${count} verifications per row (node ${process.version})`,
  );
  console.log(`${"".padEnd(34)}${"bundles/s".padStart(12)}${"ms/bundle".padStart(12)}`);
  console.log(row("@sigstore/verify (raw)", t.rawMs));
  console.log(row("leash verifier (cache off)", t.leashMs));
  console.log(row("leash verifier (cached bundles)", t.cachedMs));
  const ratio = t.leashMs / t.rawMs;
  console.log(`leash / raw: ${ratio.toFixed(3)}× (target ≤ 1.2×) ${ratio <= 1.2 ? "ok" : "OVER"}`);
}

main();
