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
}

interface VersionInfo {
  direct: boolean;
  hasInstallScript: boolean;
  keys: string[];
}

/** name → version → what every install of that version says. */
type InstallIndex = Map<string, Map<string, VersionInfo>>;

interface Side {
  index: InstallIndex;
  byKey: Map<string, LockfileInstall>;
}

/**
 * Diffs two install lists into LockfileDiffFacts. Entries are per (name, version): a version of a
 * name that is new is `added` when the name was absent before, otherwise `changed` from the
 * version that was at the same place (npm path), else the highest version that went away, else
 * the highest version still installed. Versions that went away and were not used as a `from`
 * are `removed`. See docs/errors/evidence.md for the risk rules.
 */
export function toLockfileDiffFacts(
  lockfile: LockfileDiffFacts["lockfile"],
  beforeInstalls: readonly LockfileInstall[],
  afterInstalls: readonly LockfileInstall[],
  installScriptsRecorded: boolean,
): LockfileDiffFacts {
  const before = toSide(beforeInstalls);
  const after = toSide(afterInstalls);
  const facts: LockfileDiffFacts = {
    kind: "lockfile-diff",
    lockfile,
    added: [],
    removed: [],
    changed: [],
    newDirect: countNewDirect(before.index, after.index),
    newWithInstallScript: 0,
    majorBumps: 0,
    highRisk: false,
    installScriptsRecorded,
  };
  const names = [...new Set([...before.index.keys(), ...after.index.keys()])].sort();
  for (const name of names) diffName(facts, name, before, after);
  facts.majorBumps = facts.changed.filter((c) => c.majorBump).length;
  facts.highRisk = facts.newDirect > 0 || facts.newWithInstallScript > 0 || facts.majorBumps > 0;
  return facts;
}

function diffName(facts: LockfileDiffFacts, name: string, before: Side, after: Side): void {
  const was = before.index.get(name) ?? new Map<string, VersionInfo>();
  const now = after.index.get(name) ?? new Map<string, VersionInfo>();
  const gone = sortedVersions(was).filter((v) => !now.has(v));
  for (const version of sortedVersions(now).filter((v) => !was.has(v))) {
    const info = now.get(version)!;
    const to = { name, to: version, direct: info.direct, hasInstallScript: info.hasInstallScript };
    const from = was.size === 0 ? undefined : pickFrom(name, info, before, gone, was);
    if (from === undefined) {
      facts.added.push({ ...to, majorBump: false });
      if (info.hasInstallScript) facts.newWithInstallScript += 1;
      continue;
    }
    facts.changed.push({ ...to, from, majorBump: isMajorBump(from, version) });
    if (info.hasInstallScript && !was.get(from)?.hasInstallScript) facts.newWithInstallScript += 1;
    const used = gone.indexOf(from);
    if (used !== -1) gone.splice(used, 1);
  }
  for (const version of gone) facts.removed.push(toRemoved(name, version, was.get(version)!));
}

function pickFrom(
  name: string,
  info: VersionInfo,
  before: Side,
  gone: readonly string[],
  was: Map<string, VersionInfo>,
): string {
  for (const key of info.keys) {
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
  };
}

/** Names the root lists directly after but not before (a promoted transitive counts too). */
function countNewDirect(before: InstallIndex, after: InstallIndex): number {
  const directNames = (index: InstallIndex) =>
    new Set([...index].filter(([, vs]) => [...vs.values()].some((i) => i.direct)).map(([n]) => n));
  const was = directNames(before);
  return [...directNames(after)].filter((name) => !was.has(name)).length;
}

function toSide(installs: readonly LockfileInstall[]): Side {
  const index: InstallIndex = new Map();
  const byKey = new Map<string, LockfileInstall>();
  for (const install of installs) {
    byKey.set(install.key, install);
    const versions = index.get(install.name) ?? new Map<string, VersionInfo>();
    index.set(install.name, versions);
    const info = versions.get(install.version) ?? {
      direct: false,
      hasInstallScript: false,
      keys: [],
    };
    info.direct ||= install.direct;
    info.hasInstallScript ||= install.hasInstallScript;
    info.keys.push(install.key);
    versions.set(install.version, info);
  }
  return { index, byKey };
}

function sortedVersions(versions: Map<string, VersionInfo>): string[] {
  return [...versions.keys()].sort(compareVersions);
}
