import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createManualClock } from "../../clock/index.js";
import { compileEngineConfig } from "../../policy/compile-engine-config.js";
import { CONTROL_PATHS } from "../../policy/control-paths.js";
import { isControlPath } from "./classify-path.js";
import {
  holdsProtected,
  matchProtectedPattern,
  toControlLocations,
} from "./match-protected-pattern.js";

/** A concrete path a control glob matches: `**\/` as two directories, `*` as `x`. */
function toSample(glob: string): string {
  return glob
    .replace(/^\*\*\//, "deep/er/")
    .replace(/\/\*\*$/, "/x/y.yml")
    .replace(/\*/g, "x");
}

describe("control paths: one list, for the engine and every hook check", () => {
  const engine = compileEngineConfig({ clock: createManualClock(0) });

  for (const glob of CONTROL_PATHS) {
    const sample = toSample(glob);
    it(`${glob}: ${sample} is control to the engine, the hook's path check and its pattern check`, () => {
      assert.equal(engine.isControlPath(sample), true, "engine");
      assert.equal(isControlPath(sample), true, "hook, literal path");
      assert.equal(isControlPath(sample.toUpperCase()), true, "hook, another case");
      // A place that is also git's or the agent's own is refused before it is asked about.
      assert.notEqual(matchProtectedPattern(sample), null, "hook, pattern");
      assert.notEqual(matchProtectedPattern(sample.toUpperCase()), null, "hook, pattern, case");
      if (glob.endsWith("/**"))
        assert.notEqual(holdsProtected(glob.slice(0, -3)), null, "hook, a tree written there");
    });
  }
});

describe("toControlLocations", () => {
  it("reads a directory, a file and a name that counts at any depth", () => {
    assert.deepEqual(
      toControlLocations([".GitHub/Workflows/**", "docs/CODEOWNERS", "**/*.Cedar"]),
      {
        locations: [
          { segments: [".github", "workflows"], kind: "control" },
          { segments: ["docs", "codeowners"], kind: "control", file: true },
        ],
        anywhere: ["*.cedar"],
      },
    );
  });

  // A shape it can't follow must stop the hook loading, not leave a control path unchecked.
  for (const glob of [
    "src/**/x.yml",
    "**/a/b.yml",
    "*.cedar",
    ".github/*",
    "a/*/b/**",
    "**/x**",
    "**/x?.yml",
    "**/[ab].yml",
    "a//b",
    "/abs",
  ]) {
    it(`refuses ${glob}`, () => {
      assert.throws(() => toControlLocations([glob]), /can't match/);
    });
  }
});

describe("matchProtectedPattern and holdsProtected on control paths", () => {
  const patterns: [string, ReturnType<typeof matchProtectedPattern>][] = [
    [".github/w*/ci.yml", "control"],
    [".github/*", "agent"], // .github/hooks is refused first
    ["docs/CODE*", "control"],
    ["tools/act*.yml", "control"],
    ["src/*.ts", null],
    ["docs/*.md", null],
    ["**/x", "git"], // `**` could reach anywhere, .git first
  ];
  for (const [glob, kind] of patterns)
    it(`the glob ${glob} → ${kind}`, () => assert.equal(matchProtectedPattern(glob), kind));

  const trees: [string, ReturnType<typeof holdsProtected>][] = [
    [".github", "agent"],
    [".GitHub/Workflows", "control"],
    [".gitlab", "control"],
    ["policies", "control"],
    ["docs", null], // a file is held only by itself
    ["docs/CODEOWNERS", "control"],
    ["src", null],
  ];
  for (const [dir, kind] of trees)
    it(`a tree written at ${dir} → ${kind}`, () => assert.equal(holdsProtected(dir), kind));
});
