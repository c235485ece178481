import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { hasCode, type LeashError } from "../errors/index.js";
import { diffNpmLockfiles } from "./diff-npm-lockfiles.js";

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

test("npm v3 lockfiles with nested installs diff into per-version changes", () => {
  const facts = diffNpmLockfiles(
    fixture("package-lock-before.json"),
    fixture("package-lock-after.json"),
  );
  assert.deepEqual(facts, {
    kind: "lockfile-diff",
    lockfile: "package-lock.json",
    added: [
      change("@esbuild/linux-x64", { to: "0.19.12" }),
      change("esbuild", { to: "0.19.12", direct: true, hasInstallScript: true }),
    ],
    removed: [change("typescript", { from: "5.3.3", direct: true })],
    changed: [
      // node_modules/debug moved 2.6.9 → 4.3.4; express keeps its own nested 2.6.9.
      change("debug", { from: "2.6.9", to: "4.3.4", direct: true, majorBump: true }),
      change("lodash", { from: "4.17.20", to: "4.17.21", direct: true }),
      // Hoisted ms moved 2.0.0 → 2.1.2; 2.0.0 stays nested, 2.1.3 stays under send.
      change("ms", { from: "2.0.0", to: "2.1.2" }),
    ],
    newDirect: 1,
    newWithInstallScript: 1,
    majorBumps: 1,
    sourceChanges: 0,
    highRisk: true,
    installScriptsRecorded: true,
  });
});

// Real registry values: lodash 4.17.21's tarball and integrity as npm writes them.
const LODASH_TGZ = "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz";
const LODASH_SHA512 =
  "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==";
// lodash 4.17.20's integrity: a real tarball, just not 4.17.21's bytes.
const OTHER_SHA512 =
  "sha512-PlhdFcillOINfeV7Ni6oF1TAEayyZBoZ8bcshTHqOYJYlrqzRK5hagpagky5o4HfCzzd1TRkXPMFq6cKk9rGmA==";

test("npm: the same version with other bytes, source or install script is a high-risk change", () => {
  const lock = (lodash: object, nested: object = {}) =>
    JSON.stringify({
      lockfileVersion: 3,
      packages: {
        "": { dependencies: { lodash: "^4.17.21", a: "^1.0.0" } },
        "node_modules/lodash": { version: "4.17.21", ...lodash },
        "node_modules/a": { version: "1.0.0" },
        ...nested,
      },
    });
  const registry = { resolved: LODASH_TGZ, integrity: LODASH_SHA512 };
  const base = lock(registry);
  const sameVersion = (fields: object = {}) => ({
    changed: [
      change("lodash", {
        from: "4.17.21",
        to: "4.17.21",
        direct: true,
        sourceChanged: true,
        ...fields,
      }),
    ],
    sourceChanges: 1,
    highRisk: true,
  });
  const cases: [string, string, string, object][] = [
    [
      "identical lockfiles with sources stay empty and low-risk",
      base,
      base,
      { added: [], removed: [], changed: [], sourceChanges: 0, highRisk: false },
    ],
    [
      "resolved and integrity swapped to another tarball",
      base,
      lock({ resolved: "https://evil.example/lodash-4.17.21.tgz", integrity: OTHER_SHA512 }),
      sameVersion(),
    ],
    [
      "only the integrity swapped",
      base,
      lock({ ...registry, integrity: OTHER_SHA512 }),
      sameVersion(),
    ],
    [
      "only the resolved URL moved (a git or tarball source has no integrity to pin it)",
      base,
      lock({ ...registry, resolved: "https://evil.example/lodash-4.17.21.tgz" }),
      sameVersion(),
    ],
    ["the integrity dropped", base, lock({ resolved: LODASH_TGZ }), sameVersion()],
    [
      "the same version gains an install script",
      base,
      lock({ ...registry, hasInstallScript: true }),
      { ...sameVersion({ hasInstallScript: true }), newWithInstallScript: 1 },
    ],
    [
      "a nested copy of an unchanged version from another tarball",
      lock(registry, { "node_modules/a/node_modules/lodash": { version: "4.17.21", ...registry } }),
      lock(registry, {
        "node_modules/a/node_modules/lodash": {
          version: "4.17.21",
          ...registry,
          integrity: OTHER_SHA512,
        },
      }),
      sameVersion(),
    ],
  ];
  for (const [name, before, after, expected] of cases) {
    const facts = diffNpmLockfiles(before, after);
    const picked = Object.fromEntries(
      Object.keys(expected).map((k) => [k, facts[k as keyof typeof facts]]),
    );
    assert.deepEqual(picked, expected, name);
  }
});

test("npm lockfile diffs: edge cases", () => {
  const lock = (root: object, packages: object) =>
    JSON.stringify({ lockfileVersion: 3, packages: { "": root, ...packages } });
  const base = lock({ dependencies: { a: "^1.0.0" } }, { "node_modules/a": { version: "1.0.0" } });
  const cases: [string, string, string, object][] = [
    ["identical lockfiles", base, base, { added: [], removed: [], changed: [], highRisk: false }],
    [
      "brand-new lockfile: everything is added",
      "",
      base,
      { added: [change("a", { to: "1.0.0", direct: true })], newDirect: 1, highRisk: true },
    ],
    [
      "0.x minor bump counts as major",
      lock({ dependencies: { z: "^0.4.0" } }, { "node_modules/z": { version: "0.4.2" } }),
      lock({ dependencies: { z: "^0.5.0" } }, { "node_modules/z": { version: "0.5.0" } }),
      {
        changed: [change("z", { from: "0.4.2", to: "0.5.0", direct: true, majorBump: true })],
        majorBumps: 1,
      },
    ],
    [
      "an install script appearing in a patch release is high risk",
      base,
      lock(
        { dependencies: { a: "^1.0.0" } },
        { "node_modules/a": { version: "1.0.1", hasInstallScript: true } },
      ),
      {
        changed: [
          change("a", { from: "1.0.0", to: "1.0.1", direct: true, hasInstallScript: true }),
        ],
        newWithInstallScript: 1,
        highRisk: true,
      },
    ],
    [
      "a transitive package promoted to a direct dependency is a new direct",
      lock({}, { "node_modules/a": { version: "1.0.0" } }),
      base,
      { changed: [], newDirect: 1, highRisk: true },
    ],
    [
      "an alias is reported by its real name; a nested copy is not direct",
      base,
      lock(
        { dependencies: { a: "^1.0.0", b: "npm:real-b@^2.0.0" } },
        {
          "node_modules/a": { version: "1.0.0" },
          "node_modules/b": { name: "real-b", version: "2.0.0" },
          "node_modules/a/node_modules/c": { version: "3.0.0" },
        },
      ),
      { added: [change("c", { to: "3.0.0" }), change("real-b", { to: "2.0.0", direct: true })] },
    ],
  ];
  for (const [name, before, after, expected] of cases) {
    const facts = diffNpmLockfiles(before, after);
    const picked = Object.fromEntries(
      Object.keys(expected).map((k) => [k, facts[k as keyof typeof facts]]),
    );
    assert.deepEqual(picked, expected, name);
  }
});

test("npm: a workspace's own new dependency is direct, hoisted or nested under the workspace", () => {
  const facts = diffNpmLockfiles(
    fixture("package-lock-workspaces-before.json"),
    fixture("package-lock-workspaces-after.json"),
  );
  // packages/api adds left-pad (hoisted to the root's node_modules); packages/web adds ms
  // 2.0.0, nested under packages/web because the root's node_modules holds debug's ms 2.1.2.
  assert.deepEqual(facts.added, [change("left-pad", { to: "1.3.0", direct: true })]);
  assert.deepEqual(facts.changed, [change("ms", { from: "2.1.2", to: "2.0.0", direct: true })]);
  assert.equal(facts.newDirect, 2);
  assert.equal(facts.highRisk, true);
});

test("npm workspaces: only a workspace's own lists make its installs direct", () => {
  const lock = (web: object, packages: object) =>
    JSON.stringify({
      lockfileVersion: 3,
      packages: {
        "": { workspaces: ["packages/*"] },
        "node_modules/web": { resolved: "packages/web", link: true },
        "packages/web": web,
        ...packages,
      },
    });
  const base = lock({ dependencies: { a: "^1.0.0" } }, { "node_modules/a": { version: "1.0.0" } });
  const cases: [string, string, object][] = [
    [
      "a nested install the workspace does not list",
      lock(
        { dependencies: { a: "^1.0.0" } },
        {
          "node_modules/a": { version: "1.0.0" },
          "packages/web/node_modules/b": { version: "2.0.0" },
        },
      ),
      { added: [change("b", { to: "2.0.0" })], newDirect: 0, highRisk: false },
    ],
    [
      "a package nested under an install, though the workspace lists its name",
      lock(
        { dependencies: { a: "^1.0.0", c: "^3.0.0" } },
        {
          "node_modules/a": { version: "1.0.0" },
          "node_modules/a/node_modules/c": { version: "3.0.0" },
        },
      ),
      { added: [change("c", { to: "3.0.0" })], newDirect: 0 },
    ],
    [
      "a dev dependency of the workspace",
      lock(
        { dependencies: { a: "^1.0.0" }, devDependencies: { d: "^4.0.0" } },
        { "node_modules/a": { version: "1.0.0" }, "node_modules/d": { version: "4.0.0" } },
      ),
      { added: [change("d", { to: "4.0.0", direct: true })], newDirect: 1, highRisk: true },
    ],
  ];
  for (const [name, after, expected] of cases) {
    const facts = diffNpmLockfiles(base, after);
    const picked = Object.fromEntries(
      Object.keys(expected).map((k) => [k, facts[k as keyof typeof facts]]),
    );
    assert.deepEqual(picked, expected, name);
  }
});

test("npm lockfile diffs refuse what they cannot read", () => {
  const good = fixture("package-lock-after.json");
  const cases: [string, string, string, string, string | undefined][] = [
    ["after is empty", good, "", "ERR_EVIDENCE_MALFORMED", undefined],
    ["not JSON", good, "{ lockfileVersion: 3", "ERR_EVIDENCE_MALFORMED", undefined],
    [
      "lockfile v1",
      '{"lockfileVersion":1,"dependencies":{}}',
      good,
      "ERR_EVIDENCE_UNSUPPORTED_VERSION",
      "lockfileVersion",
    ],
    ["no packages map", good, '{"lockfileVersion":3}', "ERR_EVIDENCE_MALFORMED", "packages"],
    [
      "no root entry",
      good,
      '{"lockfileVersion":3,"packages":{}}',
      "ERR_EVIDENCE_MALFORMED",
      'packages[""]',
    ],
    [
      "version is not a string",
      good,
      '{"lockfileVersion":3,"packages":{"":{},"node_modules/a":{"version":1}}}',
      "ERR_EVIDENCE_MALFORMED",
      'packages["node_modules/a"].version',
    ],
    [
      "resolved is not a string",
      good,
      '{"lockfileVersion":3,"packages":{"":{},"node_modules/a":{"version":"1.0.0","resolved":{}}}}',
      "ERR_EVIDENCE_MALFORMED",
      'packages["node_modules/a"].resolved',
    ],
    [
      "integrity is not a string",
      good,
      '{"lockfileVersion":3,"packages":{"":{},"node_modules/a":{"version":"1.0.0","integrity":1}}}',
      "ERR_EVIDENCE_MALFORMED",
      'packages["node_modules/a"].integrity',
    ],
    ["a JSON array", good, "[]", "ERR_EVIDENCE_MALFORMED", ""],
    [
      "over 10 MiB",
      good,
      `{"pad":"${"x".repeat(10 * 1024 * 1024)}"}`,
      "ERR_EVIDENCE_TOO_LARGE",
      undefined,
    ],
  ];
  for (const [name, before, after, code, path] of cases) {
    const err = catchError(() => diffNpmLockfiles(before, after));
    assert.ok(hasCode(err, code), `${name}: ${err.code}`);
    assert.equal(err.detail?.["path"], path, name);
    assert.equal(err.detail?.["kind"], "lockfile-diff", name);
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
