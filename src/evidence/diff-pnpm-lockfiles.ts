import { type Document, isNode, isScalar, LineCounter, parseDocument, visit } from "yaml";
import { LeashError } from "../errors/index.js";
import { type EvidenceWhere, refuseEvidence } from "./evidence-error.js";
import type { LockfileDiffFacts } from "./facts.js";
import { expectObject, type JsonObject, joinPath, ownValue, throwMalformed } from "./read-json.js";
import {
  type LockfileInstall,
  toInstallIdentity,
  toLockfileDiffFacts,
} from "./to-lockfile-diff-facts.js";
import { verifyEvidenceSize } from "./verify-evidence-size.js";

const DEPENDENCY_LISTS = [
  "dependencies",
  "devDependencies",
  "optionalDependencies",
  "peerDependencies",
] as const;
/** YAML aliases are how a small document expands into a huge one; pnpm writes none. */
const MAX_YAML_ALIASES = 100;

interface PnpmLockfile {
  installs: LockfileInstall[];
  /** lockfile v9 no longer records `requiresBuild`. */
  installScriptsRecorded: boolean;
}

/**
 * Diffs two `pnpm-lock.yaml` texts (lockfileVersion 6.x or 9.x). An empty `beforeText` means a
 * brand-new lockfile. Throws ERR_EVIDENCE_TOO_LARGE, ERR_EVIDENCE_MALFORMED (with the YAML line
 * or the path) or ERR_EVIDENCE_UNSUPPORTED_VERSION.
 */
export function diffPnpmLockfiles(beforeText: string, afterText: string): LockfileDiffFacts {
  const before = readPnpmLockfile(beforeText, "before", true);
  const after = readPnpmLockfile(afterText, "after", false);
  const recorded = after.installScriptsRecorded && before.installScriptsRecorded;
  return toLockfileDiffFacts("pnpm-lock.yaml", before.installs, after.installs, recorded);
}

function readPnpmLockfile(text: string, side: string, mayBeEmpty: boolean): PnpmLockfile {
  const where: EvidenceWhere = { kind: "lockfile-diff", file: `${side} pnpm-lock.yaml` };
  if (mayBeEmpty && text.trim() === "") return { installs: [], installScriptsRecorded: true };
  const root = expectObject(parseYamlText(text, where), "", where);
  const major = readLockfileMajor(ownValue(root, "lockfileVersion"), where);
  const direct = readDirectKeys(root, where);
  const packages = ownValue(root, "packages");
  const installs: LockfileInstall[] = [];
  if (packages !== undefined && packages !== null) {
    for (const [key, value] of Object.entries(expectObject(packages, "packages", where))) {
      installs.push(toPnpmInstall(key, value, direct, where));
    }
  }
  return { installs, installScriptsRecorded: major < 9 };
}

function parseYamlText(text: string, where: EvidenceWhere): unknown {
  verifyEvidenceSize(text, where);
  const lineCounter = new LineCounter();
  try {
    // yaml's own uniqueKeys check is quadratic per map; verifyUniqueKeys is linear.
    const doc = parseDocument(text, { uniqueKeys: false, lineCounter });
    const problem = doc.errors[0];
    if (problem !== undefined) {
      const pos = problem.linePos?.[0];
      const place = pos === undefined ? {} : { line: pos.line, column: pos.col };
      throwMalformed(where, `the document is not valid YAML (${problem.code})`, place);
    }
    verifyUniqueKeys(doc, lineCounter, where);
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    if (err instanceof LeashError) throw err;
    // Alias bombs and stack-deep nesting surface here; the message may quote the input.
    return throwMalformed(where, "the YAML uses too many aliases or nests too deeply", {});
  }
}

/**
 * Refuses a repeated key in any mapping: with duplicates, which entry wins is a parser detail,
 * and a lockfile could show a reviewer one entry and the installer another.
 */
function verifyUniqueKeys(doc: Document, lineCounter: LineCounter, where: EvidenceWhere): void {
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        // As toJS will see it: 1 and "1" become the same property.
        const key = isScalar(pair.key) ? String(pair.key.value) : pair.key;
        if (!seen.has(key) && (isScalar(pair.key) || pair.key === null)) {
          seen.add(key);
          continue;
        }
        const offset = isNode(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
        const { line, col } = lineCounter.linePos(offset);
        throwMalformed(where, "a mapping repeats a key or uses a non-scalar key", {
          line,
          column: col,
        });
      }
    },
  });
}

function readLockfileMajor(version: unknown, where: EvidenceWhere): number {
  const major = Number.parseInt(String(version), 10);
  if (major === 6 || major === 9) return major;
  throw refuseEvidence(
    "ERR_EVIDENCE_UNSUPPORTED_VERSION",
    where,
    "lockfileVersion must be 6.x or 9.x (pnpm 8 or later)",
    { path: "lockfileVersion" },
  );
}

/**
 * Package keys the projects resolve to: every importer's (the root `.` and each workspace
 * package: a workspace's own dependency is as direct as the root's), or the top-level
 * dependency maps of a single-project v6 lockfile. A version may be `name@version` (an alias)
 * or `link:` (a workspace package, skipped).
 */
function readDirectKeys(root: JsonObject, where: EvidenceWhere): Set<string> {
  const importers = ownValue(root, "importers");
  if (importers === undefined) return readProjectKeys(root, "", where);
  const projects = expectObject(importers, "importers", where);
  expectObject(ownValue(projects, "."), joinPath("importers", "."), where);
  const keys = new Set<string>();
  for (const [dir, project] of Object.entries(projects)) {
    const base = joinPath("importers", dir);
    for (const key of readProjectKeys(expectObject(project, base, where), base, where))
      keys.add(key);
  }
  return keys;
}

function readProjectKeys(project: JsonObject, base: string, where: EvidenceWhere): Set<string> {
  const keys = new Set<string>();
  for (const list of DEPENDENCY_LISTS) {
    const deps = ownValue(project, list);
    if (deps === undefined) continue;
    const path = joinPath(base, list);
    for (const [name, spec] of Object.entries(expectObject(deps, path, where))) {
      const version = readImporterVersion(spec, joinPath(path, name), where);
      if (version.startsWith("link:")) continue;
      keys.add(`${name}@${version}`);
      keys.add(version);
    }
  }
  return keys;
}

function readImporterVersion(spec: unknown, path: string, where: EvidenceWhere): string {
  const raw =
    typeof spec === "object" && spec !== null ? ownValue(spec as JsonObject, "version") : spec;
  if (typeof raw !== "string") throwMalformed(where, "expected a version string", { path });
  return stripPeerSuffix(raw);
}

/** `/name@1.0.0(peer@2.0.0)` (v6) or `name@1.0.0(peer@2.0.0)` (v9) → an install of name@1.0.0. */
function toPnpmInstall(
  key: string,
  value: unknown,
  direct: ReadonlySet<string>,
  where: EvidenceWhere,
): LockfileInstall {
  const path = joinPath("packages", key);
  const entry = expectObject(value, path, where);
  const id = stripPeerSuffix(key.startsWith("/") ? key.slice(1) : key);
  const at = id.indexOf("@", 1);
  const name = ownValue(entry, "name");
  const version = ownValue(entry, "version");
  if (at <= 0 && (typeof name !== "string" || typeof version !== "string")) {
    throwMalformed(where, "expected a `name@version` key", { path });
  }
  return {
    key: id,
    name: typeof name === "string" ? name : id.slice(0, at),
    version: typeof version === "string" ? version : id.slice(at + 1),
    direct: direct.has(id),
    hasInstallScript: ownValue(entry, "requiresBuild") === true,
    // `resolution` is where pnpm fetches the bytes and the hash it checks ({integrity},
    // {tarball, integrity}, {type: git, repo, commit}, {directory}); hasBin links executables.
    // requiresBuild (v6) joins the identity as hasInstallScript.
    identity: toInstallIdentity({
      resolution: ownValue(entry, "resolution"),
      hasBin: ownValue(entry, "hasBin") === true,
    }),
  };
}

function stripPeerSuffix(id: string): string {
  const paren = id.indexOf("(");
  return paren === -1 ? id : id.slice(0, paren);
}
