import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_NPM_REGISTRY_KEYS, DEFAULT_TRUSTED_ROOT } from "../../config/index.js";
import { LeashError } from "../../errors/index.js";
import {
  type ArtifactDigest,
  createProvenanceVerifier,
  digestFile,
  type IdentityPolicy,
  loadTrustMaterial,
  parseBundleFile,
  type SigstoreBundleJSON,
  type TrustMaterial,
  type VerificationResult,
} from "../../provenance/index.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { readLeashKeys } from "../read-leash-keys.js";

const HELP = `usage: leash verify [ARTIFACT_FILE] [--digest ALG:HEX] --bundle FILE
                    [--repo OWNER/NAME] [--repo-id ID] [--owner-id ID]
                    [--signer-repo OWNER/NAME] [--signer-workflow PATH] [--source-ref REF]
                    [--cert-oidc-issuer URL] [--deny-self-hosted-runners]
                    [--predicate-type URI] [--key FILE] [--trusted-root FILE]… [--json]

Verifies provenance offline, flags after \`gh attestation verify\`. --bundle takes a Sigstore
bundle (.sigstore.json), JSON lines of bundles, or an npm attestations document. Sigstore
keyless bundles verify against the trust material pinned in leash (no network); leash's own
bundles against --key (a JWKS or PEM file) or the JWKS of LEASH_URL. The artifact is named by
file (sha256 and sha512 computed) or --digest. Without --predicate-type any SLSA provenance
(v0.2 or v1) is checked; the OIDC issuer defaults to GitHub Actions'; --source-ref is exact
unless it holds * (one segment) or ** (any). Exit 0 verified; 1 not verified (the failed check,
expected and actual, on stderr); 2 unusable input; 3 internal error.
`;

const OPTIONS = {
  digest: { type: "string" },
  bundle: { type: "string" },
  repo: { type: "string" },
  "repo-id": { type: "string" },
  "owner-id": { type: "string" },
  "signer-repo": { type: "string" },
  "signer-workflow": { type: "string" },
  "source-ref": { type: "string" },
  "cert-oidc-issuer": { type: "string" },
  "deny-self-hosted-runners": { type: "boolean" },
  "predicate-type": { type: "string" },
  key: { type: "string" },
  "trusted-root": { type: "string", multiple: true },
  json: { type: "boolean" },
  help: { type: "boolean" },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>["values"];

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  if (values.help) return showHelp(io, HELP);
  if (!values.bundle) throw new UsageError(`--bundle FILE is required\n\n${HELP}`);
  const digests = toDigests(positionals[0], values.digest);
  const bundles = readBundles(values.bundle, values.json === true, io);
  if (!bundles) return EXIT.usage;
  const trust = loadTrust(values["trusted-root"]);
  const keys = await readLeashKeys(values.key, io.env["LEASH_URL"], leashHints(bundles, trust));
  const verifier = createProvenanceVerifier(trust, { leashKeys: keys });
  try {
    const result = verifier.verify({ bundles, artifactDigest: digests, policy: toPolicy(values) });
    report(result, digests, values.json === true, io);
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof LeashError)) throw err;
    return reportFailure(err, values.json === true, io);
  }
}

/** The artifact's digests: sha256 and sha512 of the file (npm names sha512), or the one given. */
function toDigests(file: string | undefined, digest: string | undefined): ArtifactDigest[] {
  if (Boolean(file) === Boolean(digest)) {
    throw new UsageError(
      `name the artifact: ARTIFACT_FILE or --digest ALG:HEX (one of them)\n\n${HELP}`,
    );
  }
  if (digest) {
    const [algorithm, hex] = digest.split(":");
    if ((algorithm !== "sha256" && algorithm !== "sha512") || !hex) {
      throw new UsageError("--digest takes sha256:<hex> or sha512:<hex>");
    }
    return [{ algorithm, hex }];
  }
  try {
    return [digestFile(file as string, "sha256"), digestFile(file as string, "sha512")];
  } catch {
    throw new UsageError(`${file}: cannot read the artifact`);
  }
}

function readBundles(path: string, json: boolean, io: CliIo): SigstoreBundleJSON[] | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new UsageError(`--bundle ${path}: cannot read the file`);
  }
  try {
    return parseBundleFile(text);
  } catch (err) {
    if (!(err instanceof LeashError)) throw err;
    reportFailure(err, json, io);
    return undefined;
  }
}

function loadTrust(roots: string[] | undefined): TrustMaterial {
  return loadTrustMaterial({
    trustedRootPaths: [DEFAULT_TRUSTED_ROOT, ...(roots ?? [])],
    npmRegistryKeysPath: DEFAULT_NPM_REGISTRY_KEYS,
  });
}

/** Key hints of public-key bundles that are not npm's: leash's own, the keys to fetch. */
function leashHints(bundles: SigstoreBundleJSON[], trust: TrustMaterial): string[] {
  const hints = bundles.map((b) => {
    const material = b.verificationMaterial as { publicKey?: { hint?: unknown } };
    return typeof material.publicKey?.hint === "string" ? material.publicKey.hint : "";
  });
  return [...new Set(hints.filter((h) => h !== "" && !trust.registryKeyIds.has(h)))];
}

function toPolicy(v: Values): IdentityPolicy {
  const policy: IdentityPolicy = {};
  if (v.repo) policy.repo = v.repo;
  if (v["repo-id"]) policy.repoId = v["repo-id"];
  if (v["owner-id"]) policy.ownerId = v["owner-id"];
  if (v["signer-repo"]) policy.signerRepo = v["signer-repo"];
  if (v["signer-workflow"]) policy.signerWorkflow = v["signer-workflow"];
  if (v["source-ref"]) policy.sourceRef = v["source-ref"];
  if (v["cert-oidc-issuer"]) policy.certOidcIssuer = v["cert-oidc-issuer"];
  if (v["deny-self-hosted-runners"]) policy.denySelfHostedRunners = true;
  if (v["predicate-type"]) policy.predicateType = v["predicate-type"];
  return policy;
}

function report(result: VerificationResult, digests: ArtifactDigest[], json: boolean, io: CliIo) {
  const digest = digests.map((d) => `${d.algorithm}:${d.hex}`);
  if (json) {
    io.out(`${JSON.stringify({ verified: true, digest, identity: result.identity })}\n`);
    return;
  }
  for (const id of result.identity) {
    const source = `${id.sourceRepository ?? "(no repository)"}@${id.commit ?? "(no commit)"}`;
    io.out(
      `verified: ${id.predicateType} for ${digest[0]}: built from ${source} (${id.sourceRef ?? "no ref"}) by ${id.signerWorkflow ?? id.builderId ?? "(unnamed)"}, signed by ${id.signer}\n`,
    );
  }
}

/** 400-codes are unusable input (2), 422-codes a failed check (1), 500 leash's fault (3). */
function reportFailure(err: LeashError, json: boolean, io: CliIo): number {
  const exit = err.status >= 500 ? EXIT.internal : err.status === 422 ? EXIT.denied : EXIT.usage;
  if (json) {
    const d = err.detail ?? {};
    const out = { verified: false, code: err.code, message: err.message, ...pick(d) };
    io.out(`${JSON.stringify(out)}\n`);
  }
  io.err(`leash: ${exit === EXIT.denied ? "not verified" : err.code}: ${err.message}\n`);
  return exit;
}

function pick(d: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ["check", "expected", "actual", "bundle"]) if (d[k] !== undefined) out[k] = d[k];
  return out;
}
