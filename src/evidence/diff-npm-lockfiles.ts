import { type EvidenceWhere, refuseEvidence } from "./evidence-error.js";
import type { LockfileDiffFacts } from "./facts.js";
import {
  expectObject,
  expectString,
  type JsonObject,
  joinPath,
  ownValue,
  parseJsonText,
} from "./read-json.js";
import {
  type LockfileInstall,
  toInstallIdentity,
  toLockfileDiffFacts,
} from "./to-lockfile-diff-facts.js";

const NODE_MODULES = "node_modules/";
const DEPENDENCY_LISTS = [
  "dependencies",
  "devDependencies",
  "optionalDependencies",
  "peerDependencies",
] as const;

/**
 * Diffs two npm `package-lock.json` texts (lockfileVersion 2 or 3, the `packages` map). An empty
 * `beforeText` means a brand-new lockfile. Throws ERR_EVIDENCE_TOO_LARGE, ERR_EVIDENCE_MALFORMED
 * (with the JSON path) or ERR_EVIDENCE_UNSUPPORTED_VERSION (lockfileVersion 1).
 */
export function diffNpmLockfiles(beforeText: string, afterText: string): LockfileDiffFacts {
  const before = readNpmLockfile(beforeText, "before", true);
  const after = readNpmLockfile(afterText, "after", false);
  return toLockfileDiffFacts("package-lock.json", before, after, true);
}

function readNpmLockfile(text: string, side: string, mayBeEmpty: boolean): LockfileInstall[] {
  const where: EvidenceWhere = { kind: "lockfile-diff", file: `${side} package-lock.json` };
  if (mayBeEmpty && text.trim() === "") return [];
  const root = expectObject(parseJsonText(text, where), "", where);
  verifyNpmLockfileVersion(ownValue(root, "lockfileVersion"), where);
  const packages = expectObject(ownValue(root, "packages"), "packages", where);
  const direct = readDirectNames(packages, where);
  const installs: LockfileInstall[] = [];
  for (const [key, value] of Object.entries(packages)) {
    const install = toNpmInstall(key, value, direct, where);
    if (install !== undefined) installs.push(install);
  }
  return installs;
}

function verifyNpmLockfileVersion(version: unknown, where: EvidenceWhere): void {
  if (version === 2 || version === 3) return;
  if (version === 1) {
    throw refuseEvidence(
      "ERR_EVIDENCE_UNSUPPORTED_VERSION",
      where,
      "lockfileVersion 1 has no `packages` map; regenerate it with npm 7 or later",
      { path: "lockfileVersion" },
    );
  }
  throw refuseEvidence(
    "ERR_EVIDENCE_UNSUPPORTED_VERSION",
    where,
    "lockfileVersion must be 2 or 3",
    { path: "lockfileVersion" },
  );
}

/** Per project folder, the names it lists itself ("" is the root). */
type DirectNames = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * The names each project folder lists in its four dependency maps: the root (`packages[""]`)
 * and every other entry that is not an install — workspace folders and the targets of
 * `link: true` entries, which npm records as `packages["packages/a"]` (so the `workspaces`
 * globs add no folder the map lacks). A workspace's own dependency is as direct as the root's.
 */
function readDirectNames(packages: JsonObject, where: EvidenceWhere): DirectNames {
  expectObject(ownValue(packages, ""), joinPath("packages", ""), where);
  const byFolder = new Map<string, Set<string>>();
  for (const [key, value] of Object.entries(packages)) {
    if (installPrefixEnd(key) !== -1) continue;
    const path = joinPath("packages", key);
    const project = expectObject(value, path, where);
    const names = new Set<string>();
    for (const list of DEPENDENCY_LISTS) {
      const deps = ownValue(project, list);
      if (deps === undefined) continue;
      for (const name of Object.keys(expectObject(deps, joinPath(path, list), where)))
        names.add(name);
    }
    byFolder.set(key, names);
  }
  return byFolder;
}

/** Where `node_modules/` starts in an install's key; -1 for the root and project folders. */
function installPrefixEnd(key: string): number {
  const at = key.lastIndexOf(NODE_MODULES);
  return at === -1 || (at > 0 && key[at - 1] !== "/") ? -1 : at;
}

/**
 * Direct: installed right under a project folder's `node_modules` with a name that folder
 * lists; the root's `node_modules` holds every project's hoisted dependencies.
 */
function isDirect(direct: DirectNames, key: string, at: number, name: string): boolean {
  if (at === 0) return [...direct.values()].some((names) => names.has(name));
  return direct.get(key.slice(0, at - 1))?.has(name) === true;
}

/**
 * One `packages` entry → an install, or undefined for the root, workspace folders and links.
 * `node_modules/a/node_modules/b` is a distinct install of b (isDirect says which are direct).
 * An alias (`"name"` in the entry) is reported by its real name.
 */
function toNpmInstall(
  key: string,
  value: unknown,
  direct: DirectNames,
  where: EvidenceWhere,
): LockfileInstall | undefined {
  const at = installPrefixEnd(key);
  // Workspace folders (`packages/x`) are the project's own code, not installs.
  if (at === -1) return undefined;
  const path = joinPath("packages", key);
  const entry = expectObject(value, path, where);
  if (ownValue(entry, "link") === true) return undefined;
  const installedAs = key.slice(at + NODE_MODULES.length);
  if (installedAs === "")
    throw refuseEvidence("ERR_EVIDENCE_MALFORMED", where, "empty package path", { path });
  const name = ownValue(entry, "name");
  return {
    key,
    name: name === undefined ? installedAs : expectString(name, joinPath(path, "name"), where),
    version: expectString(ownValue(entry, "version"), joinPath(path, "version"), where),
    direct: isDirect(direct, key, at, installedAs),
    hasInstallScript: ownValue(entry, "hasInstallScript") === true,
    // Where npm fetches the bytes, the hash it checks them against and the executables it
    // links: a change in any of these (or in hasInstallScript) under one version is a change.
    identity: toInstallIdentity({
      resolved: optionalString(entry, "resolved", path, where),
      integrity: optionalString(entry, "integrity", path, where),
      bin: ownValue(entry, "bin"),
    }),
  };
}

function optionalString(
  entry: JsonObject,
  field: string,
  path: string,
  where: EvidenceWhere,
): string | undefined {
  const value = ownValue(entry, field);
  return value === undefined ? undefined : expectString(value, joinPath(path, field), where);
}
