import { createPublicKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { TrustedRoot } from "@sigstore/protobuf-specs";
import {
  type KeyFinderFunc,
  type TrustMaterial as SigstoreTrustMaterial,
  toTrustMaterial,
  VerificationError,
} from "@sigstore/verify";
import { isRecord } from "./parse-statement.js";
import { provenanceError } from "./provenance-errors.js";

/** The npm registry key usage that signs publish attestations (others sign packuments). */
const NPM_ATTESTATION_KEY_USAGE = "npm:attestations";

/**
 * Everything keyless verification trusts, built once at startup from pinned files:
 * Fulcio CAs, Rekor logs, CT logs and TSAs of every trusted root, plus npm's registry keys.
 */
export interface TrustMaterial {
  readonly sigstore: SigstoreTrustMaterial;
  /** Key ids (`SHA256:…`) of the npm registry keys, for public-key bundles. */
  readonly registryKeyIds: ReadonlySet<string>;
}

/**
 * Reads pinned `trusted_root.json` files (public-good, and e.g. GitHub's private instance)
 * and npm's `keys.json`. No network, no TUF: refreshing them is a deliberate commit.
 * Throws ERR_PROVENANCE_TRUST_MATERIAL_INVALID when a file is missing or unusable.
 */
export function loadTrustMaterial(opts: {
  trustedRootPaths: string[];
  npmRegistryKeysPath?: string;
}): TrustMaterial {
  const roots = opts.trustedRootPaths.map((path) => readJson(path));
  const keys =
    opts.npmRegistryKeysPath === undefined ? undefined : readJson(opts.npmRegistryKeysPath);
  return parseTrustMaterial({ trustedRoots: roots, npmRegistryKeys: keys });
}

/**
 * Builds trust material from already-read JSON documents (see loadTrustMaterial).
 * Throws ERR_PROVENANCE_TRUST_MATERIAL_INVALID.
 */
export function parseTrustMaterial(input: {
  trustedRoots: unknown[];
  npmRegistryKeys?: unknown;
}): TrustMaterial {
  if (input.trustedRoots.length === 0) throw invalid("no trusted root was given");
  const registryKeys = parseRegistryKeys(input.npmRegistryKeys);
  const parts = input.trustedRoots.map((json) => {
    try {
      return toTrustMaterial(TrustedRoot.fromJSON(json));
    } catch (err) {
      throw invalid("a trusted root could not be parsed", err);
    }
  });
  const sigstore: SigstoreTrustMaterial = {
    certificateAuthorities: parts.flatMap((p) => p.certificateAuthorities),
    timestampAuthorities: parts.flatMap((p) => p.timestampAuthorities),
    tlogs: parts.flatMap((p) => p.tlogs),
    ctlogs: parts.flatMap((p) => p.ctlogs),
    publicKey: toKeyFinder(registryKeys),
  };
  if (sigstore.certificateAuthorities.length === 0 || sigstore.tlogs.length === 0) {
    throw invalid("the trusted roots name no certificate authority or no transparency log");
  }
  return { sigstore, registryKeyIds: new Set(registryKeys.keys()) };
}

interface RegistryKey {
  publicKey: KeyObject;
  start: Date;
  end: Date | undefined;
}

function parseRegistryKeys(json: unknown): Map<string, RegistryKey[]> {
  const out = new Map<string, RegistryKey[]>();
  if (json === undefined) return out;
  if (!isRecord(json) || !Array.isArray(json["keys"])) throw invalid("npm registry keys: no keys");
  for (const entry of json["keys"] as unknown[]) {
    if (!isRecord(entry) || entry["keyUsage"] !== NPM_ATTESTATION_KEY_USAGE) continue;
    const keyId = entry["keyId"];
    const pk = entry["publicKey"];
    if (typeof keyId !== "string" || !isRecord(pk) || typeof pk["rawBytes"] !== "string") {
      throw invalid("npm registry keys: an entry has no keyId or rawBytes");
    }
    const validFor = isRecord(pk["validFor"]) ? pk["validFor"] : {};
    const key: RegistryKey = {
      publicKey: toPublicKey(pk["rawBytes"]),
      start: new Date(typeof validFor["start"] === "string" ? validFor["start"] : 0),
      end: typeof validFor["end"] === "string" ? new Date(validFor["end"]) : undefined,
    };
    out.set(keyId, [...(out.get(keyId) ?? []), key]);
  }
  return out;
}

function toPublicKey(base64Der: string): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(base64Der, "base64"), format: "der", type: "spki" });
  } catch (err) {
    throw invalid("npm registry keys: a public key is not SPKI DER", err);
  }
}

function toKeyFinder(keys: Map<string, RegistryKey[]>): KeyFinderFunc {
  return (hint) => {
    const found = keys.get(hint);
    if (!found || found.length === 0) {
      throw new VerificationError({ code: "PUBLIC_KEY_ERROR", message: `key not found: ${hint}` });
    }
    // A registry key id may appear with several validity windows; the signature time
    // must fall in one of them (sigstore asks per timestamp).
    const first = found[0] as RegistryKey;
    return {
      publicKey: first.publicKey,
      validFor: (date: Date) =>
        found.some((k) => k.start <= date && (k.end === undefined || date <= k.end)),
    };
  };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw invalid(`cannot read ${path}`, err);
  }
}

function invalid(message: string, cause?: unknown) {
  return provenanceError(
    "ERR_PROVENANCE_TRUST_MATERIAL_INVALID",
    `trust_material_invalid: ${message}`,
    undefined,
    cause,
  );
}
