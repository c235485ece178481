interface SemverCore {
  major: number;
  minor: number;
  patch: number;
}

// Anchored, no nested quantifiers: linear on any input.
const SEMVER = /^v?(\d{1,15})\.(\d{1,15})\.(\d{1,15})(?:[-+][0-9A-Za-z.+-]*)?$/;

/** The numeric core of a semver version, or undefined for git URLs, tarballs, `file:` and the like. */
export function parseSemverCore(version: string): SemverCore | undefined {
  const m = SEMVER.exec(version.trim());
  if (m === null) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

/**
 * True when `to` is outside the caret range of `from`, i.e. a breaking upgrade as npm's `^` sees
 * it: a higher major; for 0.x a higher minor; for 0.0.x a higher patch. Fails closed: a version
 * that is not semver (git, tarball, `file:`) counts as a major bump. A downgrade is not a bump.
 */
export function isMajorBump(from: string, to: string): boolean {
  const a = parseSemverCore(from);
  const b = parseSemverCore(to);
  if (a === undefined || b === undefined) return from !== to;
  if (a.major !== 0 || b.major !== 0) return b.major > a.major;
  if (a.minor !== 0 || b.minor !== 0) return b.minor > a.minor;
  return b.patch > a.patch;
}

/** Orders semver versions ascending; non-semver versions sort first, by text. */
export function compareVersions(x: string, y: string): number {
  const a = parseSemverCore(x);
  const b = parseSemverCore(y);
  if (a === undefined || b === undefined) {
    if (a !== b) return a === undefined ? -1 : 1;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return (
    a.major - b.major || a.minor - b.minor || a.patch - b.patch || (x < y ? -1 : x > y ? 1 : 0)
  );
}
