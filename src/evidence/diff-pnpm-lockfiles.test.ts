import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { hasCode, type LeashError } from "../errors/index.js";
import { diffPnpmLockfiles } from "./diff-pnpm-lockfiles.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../src/evidence/fixtures/${name}`, import.meta.url), "utf8");

const change = (name: string, fields: object) => ({
  name,
  direct: false,
  hasInstallScript: false,
  majorBump: false,
  sourceChanged: false,
  ...fields,
});

test("pnpm v9 lockfiles diff by name@version, aliases and workspaces included", () => {
  const facts = diffPnpmLockfiles(
    fixture("pnpm-lock-v9-before.yaml"),
    fixture("pnpm-lock-v9-after.yaml"),
  );
  assert.deepEqual(facts, {
    kind: "lockfile-diff",
    lockfile: "pnpm-lock.yaml",
    added: [
      change("ansi-regex", { to: "5.0.1" }),
      change("emoji-regex", { to: "8.0.0" }),
      change("is-fullwidth-code-point", { to: "3.0.0" }),
      change("lru-cache", { to: "6.0.0" }),
      // Listed by the root as the alias string-width-cjs → string-width@4.2.3.
      change("string-width", { to: "4.2.3", direct: true }),
      change("strip-ansi", { to: "6.0.1" }),
      change("yallist", { to: "4.0.0" }),
    ],
    removed: [],
    changed: [
      change("scheduler", { from: "0.23.0", to: "0.23.2" }),
      change("semver", { from: "6.3.1", to: "7.6.0", direct: true, majorBump: true }),
    ],
    newDirect: 1,
    newWithInstallScript: 0,
    majorBumps: 1,
    sourceChanges: 0,
    highRisk: true,
    // v9 dropped requiresBuild: hasInstallScript above means "unknown".
    installScriptsRecorded: false,
  });
});

test("a brand-new pnpm v6 lockfile reads requiresBuild and top-level dependencies", () => {
  const facts = diffPnpmLockfiles("", fixture("pnpm-lock-v6.yaml"));
  assert.deepEqual(facts.added, [
    change("@esbuild/linux-x64", { to: "0.19.12", hasInstallScript: true }),
    change("client-only", { to: "0.0.1" }),
    change("esbuild", { to: "0.19.12", direct: true, hasInstallScript: true }),
    change("js-tokens", { to: "4.0.0" }),
    change("loose-envify", { to: "1.4.0" }),
    change("react", { to: "18.2.0", direct: true }),
    change("styled-jsx", { to: "5.1.1", direct: true }),
  ]);
  assert.equal(facts.newDirect, 3);
  assert.equal(facts.newWithInstallScript, 2);
  assert.equal(facts.installScriptsRecorded, true);
});

// Real integrities: js-tokens 4.0.0 and loose-envify 1.4.0 as the registry serves them.
const JS_TOKENS =
  "sha512-RdJUflcE3cUzKiMqQgsCu06FPu9UdIJO0beYbPhHN4k6apgJtifcoCtT9bcxOpYBtpD2kCM6Sbzg4CausW/PKQ==";
const LOOSE_ENVIFY =
  "sha512-lyuxPGr/Wfhrlem2CL/UcnUc1zcqKAImBDzukY7Y5F/yQiNdko6+fRLevlw1HgMySw7f611UIY408EtxRSoK3Q==";

/** A pnpm lockfile whose root depends on loose-envify 1.4.0; `entry` is its package entry. */
function pnpmLock(major: "6.0" | "9.0", entry: string, extra = ""): string {
  const slash = major === "6.0" ? "/" : "";
  const project =
    major === "6.0"
      ? "dependencies:\n  loose-envify:\n    specifier: ^1.4.0\n    version: 1.4.0\n"
      : "importers:\n  .:\n    dependencies:\n      loose-envify:\n        specifier: ^1.4.0\n        version: 1.4.0\n";
  return [
    `lockfileVersion: '${major}'`,
    project,
    "packages:",
    `  ${slash}js-tokens@4.0.0:`,
    `    resolution: {integrity: ${JS_TOKENS}}`,
    `  ${slash}loose-envify@1.4.0:`,
    entry,
    extra,
  ].join("\n");
}

test("pnpm: the same version with another resolution or script marker is a high-risk change", () => {
  const registry = `    resolution: {integrity: ${LOOSE_ENVIFY}}\n    hasBin: true`;
  const sameVersion = (fields: object = {}) => ({
    changed: [
      change("loose-envify", {
        from: "1.4.0",
        to: "1.4.0",
        direct: true,
        sourceChanged: true,
        ...fields,
      }),
    ],
    sourceChanges: 1,
    highRisk: true,
  });
  const cases: [string, "6.0" | "9.0", string, object][] = [
    [
      "identical entries stay empty and low-risk",
      "6.0",
      registry,
      { added: [], changed: [], sourceChanges: 0, highRisk: false },
    ],
    [
      "the integrity swapped",
      "6.0",
      `    resolution: {integrity: ${JS_TOKENS}}\n    hasBin: true`,
      sameVersion(),
    ],
    [
      "a tarball URL appears in the resolution",
      "9.0",
      `    resolution: {integrity: ${LOOSE_ENVIFY}, tarball: https://evil.example/loose-envify-1.4.0.tgz}\n    hasBin: true`,
      sameVersion(),
    ],
    [
      "resolved from git instead of the registry",
      "9.0",
      "    resolution: {type: git, repo: https://github.com/zertosh/loose-envify.git, commit: 0123456789abcdef0123456789abcdef01234567}\n    hasBin: true",
      sameVersion(),
    ],
    [
      "the same version gains requiresBuild (v6)",
      "6.0",
      `${registry}\n    requiresBuild: true`,
      { ...sameVersion({ hasInstallScript: true }), newWithInstallScript: 1 },
    ],
    [
      "the same version loses hasBin",
      "9.0",
      `    resolution: {integrity: ${LOOSE_ENVIFY}}`,
      sameVersion(),
    ],
  ];
  for (const [name, major, entry, expected] of cases) {
    const facts = diffPnpmLockfiles(pnpmLock(major, registry), pnpmLock(major, entry));
    const picked = Object.fromEntries(
      Object.keys(expected).map((k) => [k, facts[k as keyof typeof facts]]),
    );
    assert.deepEqual(picked, expected, name);
  }
});

test("pnpm v9 does not record install scripts: any added or changed package is high-risk", () => {
  const entry = `    resolution: {integrity: ${LOOSE_ENVIFY}}\n    hasBin: true`;
  const evil = "  postinstall-evil@1.0.0:\n    resolution: {integrity: sha512-y}\n";
  const cases: [string, string, string, object][] = [
    [
      "v9: a new transitive package, scripts unknown",
      pnpmLock("9.0", entry),
      pnpmLock("9.0", entry, evil),
      {
        added: [change("postinstall-evil", { to: "1.0.0" })],
        highRisk: true,
        installScriptsRecorded: false,
      },
    ],
    [
      "v9: a package only removed is not high-risk",
      pnpmLock("9.0", entry, evil),
      pnpmLock("9.0", entry),
      { added: [], changed: [], highRisk: false, installScriptsRecorded: false },
    ],
    [
      "v9: identical lockfiles are not high-risk",
      pnpmLock("9.0", entry),
      pnpmLock("9.0", entry),
      { added: [], changed: [], highRisk: false, installScriptsRecorded: false },
    ],
    [
      "v6 → v9 migration: added packages are high-risk (the after side records no scripts)",
      pnpmLock("6.0", entry),
      pnpmLock("9.0", entry, evil),
      { highRisk: true, installScriptsRecorded: false },
    ],
    [
      "v6 → v9 migration of unchanged packages: requiresBuild vanishing is not a change",
      pnpmLock("6.0", `${entry}\n    requiresBuild: true`),
      pnpmLock("9.0", entry),
      { added: [], changed: [], sourceChanges: 0, highRisk: false, installScriptsRecorded: false },
    ],
    [
      "v9: scripts unrecorded, yet a same-version integrity swap is still seen",
      pnpmLock("9.0", entry),
      pnpmLock("9.0", entry.replace(LOOSE_ENVIFY, JS_TOKENS)),
      { sourceChanges: 1, highRisk: true },
    ],
    [
      "v6 records requiresBuild: a new transitive package without one is not high-risk",
      pnpmLock("6.0", entry),
      pnpmLock("6.0", entry, evil.replace("  p", "  /p")),
      {
        added: [change("postinstall-evil", { to: "1.0.0" })],
        highRisk: false,
        installScriptsRecorded: true,
      },
    ],
  ];
  for (const [name, before, after, expected] of cases) {
    const facts = diffPnpmLockfiles(before, after);
    const picked = Object.fromEntries(
      Object.keys(expected).map((k) => [k, facts[k as keyof typeof facts]]),
    );
    assert.deepEqual(picked, expected, name);
  }
});

test("pnpm: every importer's own new dependency is direct, not only the root's", () => {
  const facts = diffPnpmLockfiles(
    fixture("pnpm-lock-v6-workspaces-before.yaml"),
    fixture("pnpm-lock-v6-workspaces-after.yaml"),
  );
  // importers["packages/api"] adds left-pad; no install script, no bump: only its being a
  // new direct dependency makes it high-risk.
  assert.deepEqual(facts.added, [change("left-pad", { to: "1.3.0", direct: true })]);
  assert.equal(facts.newDirect, 1);
  assert.equal(facts.newWithInstallScript, 0);
  assert.equal(facts.highRisk, true);
});

test("pnpm lockfile diffs refuse what they cannot read", () => {
  const good = fixture("pnpm-lock-v9-after.yaml");
  const aliases = `lockfileVersion: '9.0'\nx: &a [1, 2]\ny: [${Array(120).fill("*a").join(", ")}]\n`;
  const cases: [string, string, string, string, Record<string, unknown>][] = [
    [
      "v5.4 lockfile",
      "lockfileVersion: 5.4\n",
      good,
      "ERR_EVIDENCE_UNSUPPORTED_VERSION",
      { path: "lockfileVersion" },
    ],
    [
      "no version at all",
      good,
      "packages: {}\n",
      "ERR_EVIDENCE_UNSUPPORTED_VERSION",
      { path: "lockfileVersion" },
    ],
    [
      "broken YAML names the line",
      good,
      "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: [\n",
      "ERR_EVIDENCE_MALFORMED",
      { line: 4 },
    ],
    [
      "duplicate keys",
      good,
      "lockfileVersion: '9.0'\nlockfileVersion: '6.0'\n",
      "ERR_EVIDENCE_MALFORMED",
      { line: 2 },
    ],
    ["alias bomb", good, aliases, "ERR_EVIDENCE_MALFORMED", {}],
    [
      "YAML deeper than the stack",
      good,
      `lockfileVersion: '9.0'\nx: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`,
      "ERR_EVIDENCE_MALFORMED",
      {},
    ],
    ["a YAML list", good, "- 1\n", "ERR_EVIDENCE_MALFORMED", { path: "" }],
    [
      "key without a version",
      good,
      "lockfileVersion: '9.0'\npackages:\n  lodash: {}\n",
      "ERR_EVIDENCE_MALFORMED",
      { path: "packages.lodash" },
    ],
    [
      "importer version not a string",
      good,
      "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a: {specifier: ^1}\n",
      "ERR_EVIDENCE_MALFORMED",
      { path: 'importers["."].dependencies.a' },
    ],
    ["over 10 MiB", good, `# ${"x".repeat(10 * 1024 * 1024)}\n`, "ERR_EVIDENCE_TOO_LARGE", {}],
  ];
  for (const [name, before, after, code, place] of cases) {
    const err = catchError(() => diffPnpmLockfiles(before, after));
    assert.ok(hasCode(err, code), `${name}: ${err.code}`);
    for (const [key, value] of Object.entries(place)) assert.equal(err.detail?.[key], value, name);
  }
});

function catchError(fn: () => unknown): LeashError {
  try {
    fn();
  } catch (err) {
    return err as LeashError;
  }
  throw new Error("expected a throw");
}
