import { isRecord } from "./parse-statement.js";
import { provenanceError } from "./provenance-errors.js";
import type { SigstoreBundleJSON } from "./to-sigstore-bundle.js";

/** More bundles than this in one file is refused: every one is verified, and that costs. */
export const MAX_BUNDLES_PER_FILE = 256;

/**
 * Parses a bundle file: one Sigstore bundle (`.sigstore.json`), JSON lines of bundles (as
 * `gh attestation download` writes), or an npm registry attestations document
 * (`{ "attestations": [ { "predicateType", "bundle" } ] }`). Only the shape is checked here;
 * each bundle is validated and verified by the verifier.
 * Throws ERR_PROVENANCE_MALFORMED.
 */
export function parseBundleFile(text: string): SigstoreBundleJSON[] {
  const whole = tryParse(text);
  const values = whole.ok ? fromDocument(whole.value) : fromJsonLines(text);
  if (values.length === 0) throw malformed("the file holds no bundle");
  if (values.length > MAX_BUNDLES_PER_FILE) {
    throw malformed(`the file holds more than ${MAX_BUNDLES_PER_FILE} bundles`);
  }
  return values.map((value, index) => toBundle(value, index));
}

function fromDocument(value: unknown): unknown[] {
  if (isRecord(value) && Array.isArray(value["attestations"])) {
    return (value["attestations"] as unknown[]).map((entry) =>
      isRecord(entry) ? entry["bundle"] : undefined,
    );
  }
  return [value];
}

function fromJsonLines(text: string): unknown[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  return lines.map((line, index) => {
    const parsed = tryParse(line);
    if (!parsed.ok) throw malformed(`line ${index + 1} is not JSON`);
    return parsed.value;
  });
}

function toBundle(value: unknown, index: number): SigstoreBundleJSON {
  if (
    !isRecord(value) ||
    typeof value["mediaType"] !== "string" ||
    !isRecord(value["verificationMaterial"])
  ) {
    throw malformed(`entry ${index} is not a Sigstore bundle (no mediaType/verificationMaterial)`);
  }
  return value as SigstoreBundleJSON;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function malformed(message: string) {
  return provenanceError("ERR_PROVENANCE_MALFORMED", `malformed_bundle_file: ${message}`);
}
