import type { LockfileDiffFacts, PackageChange } from "./facts.js";
import { compareVersions, isMajorBump } from "./is-major-bump.js";

/** One installed package as a lockfile records it, before diffing. */
export interface LockfileInstall {
  /** Identity of the install inside its lockfile: the npm path, or pnpm's `name@version`. */
  key: string;
  name: string;
  version: string;
  /** Installed where the root project's own dependency lists resolve to. */
  direct: boolean;
  hasInstallScript: boolean;
  /**
   * Everything else the lockfile pins for this install (where it comes from, its integrity,
   * executables it links), canonical: see toInstallIdentity. hasInstallScript joins it in the
   * diff when both sides record scripts. Equal name and version with a different identity is
   * different bytes, or the same bytes installed differently.
   */
  identity: string;
}

interface VersionInfo {
  direct: boolean;
  hasInstallScript: boolean;
  installs: LockfileInstall[];
  identities: Set<string>;
}

/** name → version → what every install of that version says. */
type InstallIndex = Map<string, Map<string, VersionInfo>>;

interface Side {
  index: InstallIndex;
  byKey: Map<string, LockfileInstall>;
}

/**
 * What a lockfile pins for one install besides name and version → a canonical string (JSON with
 * sorted keys, absent fields as null), so a reordered YAML flow map is not a change.
 */
export function toInstallIdentity(pinned: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(toCanonical(pinned));
}

function toCanonical(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(toCanonical);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([k, v]) => [k, toCanonical(v)]);
}

/**
 * Diffs two install lists into LockfileDiffFacts. Entries are per (name, version): a version of a
 * name that is new is `added` when the name was absent before, otherwise `changed` from the
 * version that was at the same place (npm path), else the highest version that went away, else
 * the highest version still installed. A version on both sides whose source, integrity or
 * install markers changed is `changed` with `from === to` and `sourceChanged`. Versions that
 * went away and were not used as a `from` are `removed`. See docs/errors/evidence.md for the
 * risk rules.
 */
export function toLockfileDiffFacts(
  lockfile: LockfileDiffFacts["lockfile"],
  beforeInstalls: readonly LockfileInstall[],
  afterInstalls: readonly LockfileInstall[],
  installScriptsRecorded: boolean,
): LockfileDiffFacts {
  // A side that does not record scripts says false for every install: comparing that with the
  // other side's true would report a lockfile-format migration as a change of every package.
  const before = toSide(beforeInstalls, installScriptsRecorded);
  const after = toSide(afterInstalls, installScriptsRecorded);
  const facts: Required<LockfileDiffFacts> = {
    kind: "lockfile-diff",
    lockfile,
    added: [],
    removed: [],
    changed: [],
    newDirect: countNewDirect(before.index, after.index),
    newWithInstallScript: 0,
    majorBumps: 0,
    sourceChanges: 0,
    highRisk: false,
    installScriptsRecorded,
  };
  const names = [...new Set([...before.index.keys(), ...after.index.keys()])].sort();
  for (const name of names) diffName(facts, name, before, after);
  facts.majorBumps = facts.changed.filter((c) => c.majorBump).length;
  // Same version, different bytes is what registry or lockfile poisoning looks like: the
  // reviewer reads "lodash 4.17.21" on both sides while the install fetches another tarball.
  // When the lockfile does not record install scripts, any added or changed package may run
  // one at install time: unknown counts as risky, never as "none".
  facts.highRisk =
    facts.newDirect > 0 ||
    facts.newWithInstallScript > 0 ||
    facts.majorBumps > 0 ||
    facts.sourceChanges > 0 ||
    hasUnknownInstallScripts(facts);
  return facts;
}

/**
 * True when the lockfile doesn't record install scripts and the diff adds or changes a
 * package: one of them may run a script at install time. Also read by evidence selection,
 * for diffs stored before the parser counted this as high-risk.
 */
export function hasUnknownInstallScripts(
  f: Pick<LockfileDiffFacts, "installScriptsRecorded" | "added" | "changed">,
): boolean {
  return f.installScriptsRecorded === false && f.added.length + f.changed.length > 0;
}

function diffName(
  facts: Required<LockfileDiffFacts>,
  name: string,
  before: Side,
  after: Side,
): void {
  const was = before.index.get(name) ?? new Map<string, VersionInfo>();
  const now = after.index.get(name) ?? new Map<string, VersionInfo>();
  const gone = sortedVersions(was).filter((v) => !now.has(v));
  for (const version of sortedVersions(now)) {
    const info = now.get(version)!;
    const to = { name, to: version, direct: info.direct, hasInstallScript: info.hasInstallScript };
    const kept = was.get(version);
    if (kept !== undefined) {
      if (!hasNewIdentity(info, kept, before)) continue;
      facts.changed.push({ ...to, from: version, majorBump: false, sourceChanged: true });
      facts.sourceChanges += 1;
      if (info.hasInstallScript && !kept.hasInstallScript) facts.newWithInstallScript += 1;
      continue;
    }
    const from = was.size === 0 ? undefined : pickFrom(name, info, before, gone, was);
    if (from === undefined) {
      facts.added.push({ ...to, majorBump: false, sourceChanged: false });
      if (info.hasInstallScript) facts.newWithInstallScript += 1;
      continue;
    }
    const majorBump = isMajorBump(from, version);
    facts.changed.push({ ...to, from, majorBump, sourceChanged: false });
    if (info.hasInstallScript && !was.get(from)?.hasInstallScript) facts.newWithInstallScript += 1;
    const used = gone.indexOf(from);
    if (used !== -1) gone.splice(used, 1);
  }
  for (const version of gone) facts.removed.push(toRemoved(name, version, was.get(version)!));
}

/**
 * An install of a kept version pins something no install of that version pinned before, or
 * differs from what the same place (npm path) held at that version: a nested copy swapped to
 * another tarball counts even when a different copy already had that tarball.
 */
function hasNewIdentity(now: VersionInfo, was: VersionInfo, before: Side): boolean {
  return now.installs.some((install) => {
    if (!was.identities.has(install.identity)) return true;
    const previous = before.byKey.get(install.key);
    return (
      previous !== undefined &&
      previous.name === install.name &&
      previous.version === install.version &&
      previous.identity !== install.identity
    );
  });
}

function pickFrom(
  name: string,
  info: VersionInfo,
  before: Side,
  gone: readonly string[],
  was: Map<string, VersionInfo>,
): string {
  for (const { key } of info.installs) {
    const previous = before.byKey.get(key);
    if (previous !== undefined && previous.name === name) return previous.version;
  }
  return gone.at(-1) ?? sortedVersions(was).at(-1)!;
}

function toRemoved(name: string, version: string, info: VersionInfo): PackageChange {
  return {
    name,
    from: version,
    direct: info.direct,
    hasInstallScript: info.hasInstallScript,
    majorBump: false,
    sourceChanged: false,
  };
}

/** Names the root lists directly after but not before (a promoted transitive counts too). */
function countNewDirect(before: InstallIndex, after: InstallIndex): number {
  const directNames = (index: InstallIndex) =>
    new Set([...index].filter(([, vs]) => [...vs.values()].some((i) => i.direct)).map(([n]) => n));
  const was = directNames(before);
  return [...directNames(after)].filter((name) => !was.has(name)).length;
}

function toSide(installs: readonly LockfileInstall[], scriptsRecorded: boolean): Side {
  const index: InstallIndex = new Map();
  const byKey = new Map<string, LockfileInstall>();
  for (const recorded of installs) {
    const identity = scriptsRecorded
      ? toInstallIdentity({
          pinned: recorded.identity,
          hasInstallScript: recorded.hasInstallScript,
        })
      : recorded.identity;
    const install = { ...recorded, identity };
    byKey.set(install.key, install);
    const versions = index.get(install.name) ?? new Map<string, VersionInfo>();
    index.set(install.name, versions);
    const info = versions.get(install.version) ?? {
      direct: false,
      hasInstallScript: false,
      installs: [],
      identities: new Set<string>(),
    };
    info.direct ||= install.direct;
    info.hasInstallScript ||= install.hasInstallScript;
    info.installs.push(install);
    info.identities.add(install.identity);
    versions.set(install.version, info);
  }
  return { index, byKey };
}

function sortedVersions(versions: Map<string, VersionInfo>): string[] {
  return [...versions.keys()].sort(compareVersions);
}
