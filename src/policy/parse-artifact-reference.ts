/** An artifact as a deploy request names it. */
export interface ArtifactReference {
  raw: string;
  /** The name without tag or digest (`ghcr.io/o/app`), "" for a bare digest. */
  name: string;
  /** `sha256:<64 hex>` when pinned by digest, else null. */
  digest: string | null;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const NAME = /^[^\s@]+$/;

/**
 * Reads `name@sha256:…` or `sha256:…`. Anything else (a tag, `:latest`, a bare name) is
 * a mutable reference: `digest` is null, and policy denies a deploy of it.
 */
export function parseArtifactReference(raw: string): ArtifactReference {
  if (DIGEST.test(raw)) return { raw, name: "", digest: raw };
  const at = raw.lastIndexOf("@");
  if (at > 0) {
    const name = raw.slice(0, at);
    const digest = raw.slice(at + 1);
    if (NAME.test(name) && DIGEST.test(digest)) return { raw, name: stripTag(name), digest };
  }
  return { raw, name: stripTag(raw.split("@")[0] ?? ""), digest: null };
}

/** `ghcr.io:443/o/app:1.2` → `ghcr.io:443/o/app`: a tag is a `:` in the last path segment. */
function stripTag(name: string): string {
  const slash = name.lastIndexOf("/");
  const colon = name.indexOf(":", slash + 1);
  return colon === -1 ? name : name.slice(0, colon);
}
