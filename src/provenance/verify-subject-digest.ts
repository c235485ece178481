import type { AttestedStatement } from "./dsse-envelope.js";
import { provenanceError } from "./provenance-errors.js";

/** An artifact's digest: algorithm and lowercase hex. */
export interface ArtifactDigest {
  algorithm: "sha256" | "sha512";
  hex: string;
}

const HEX_LENGTH = { sha256: 64, sha512: 128 } as const;

/**
 * Validates artifact digests (one or several of the same file, e.g. sha256 and sha512).
 * Throws ERR_PROVENANCE_MALFORMED.
 */
export function toArtifactDigests(input: ArtifactDigest | ArtifactDigest[]): ArtifactDigest[] {
  const list = Array.isArray(input) ? input : [input];
  if (list.length === 0) throw malformed("no artifact digest was given");
  return list.map((d) => {
    const hex = String(d.hex).toLowerCase();
    const size = HEX_LENGTH[d.algorithm];
    if (size === undefined || hex.length !== size || !/^[0-9a-f]+$/.test(hex)) {
      throw malformed("an artifact digest must be sha256 (64 hex) or sha512 (128 hex)");
    }
    return { algorithm: d.algorithm, hex };
  });
}

/**
 * Checks that one of the statement's subjects carries the artifact's digest. The Sigstore
 * verifier checks the signature over the statement, not which artifact it names, so without
 * this any valid bundle would "verify" any file. Throws ERR_PROVENANCE_SUBJECT_MISMATCH.
 */
export function verifySubjectDigest(
  statement: AttestedStatement,
  digests: ArtifactDigest[],
  index: number,
): void {
  const found = statement.subject.some((s) => digests.some((d) => s.digest[d.algorithm] === d.hex));
  if (found) return;
  const expected = digests.map((d) => `${d.algorithm}:${d.hex}`).join(", ");
  const actual = statement.subject
    .flatMap((s) => Object.entries(s.digest).map(([alg, hex]) => `${alg}:${hex}`))
    .join(", ");
  throw provenanceError(
    "ERR_PROVENANCE_SUBJECT_MISMATCH",
    `subject_digest: bundle ${index} attests ${actual}, not the artifact ${expected}`,
    { check: "subject_digest", expected, actual, bundle: index },
  );
}

function malformed(message: string) {
  return provenanceError("ERR_PROVENANCE_MALFORMED", `malformed_digest: ${message}`);
}
