#!/usr/bin/env node
// Joins the compiled hook entry (dist/src/cli/hook-main.js, from `tsc -b`) and the modules
// it imports into one CommonJS file, dist/hook/leash-hook.cjs, which bin/leash.cjs loads for
// `leash hook`. esbuild compiles nothing here: its input is tsc's JavaScript output, so the
// code that runs is the code that was type-checked and tested. Why one file: the hook runs
// before every agent tool call, and on Node 20 each ES module costs ~0.6 ms to resolve and
// link (measured in docs/performance.md, "Agent hooks"). Then writes V8's code cache for it,
// dist/hook/leash-hook.cache (scripts/write-hook-cache.cjs).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

await build({
  entryPoints: ["dist/src/cli/hook-main.js"],
  outfile: "dist/hook/leash-hook.cjs",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // `import("node:tls")` becomes a `require`: the code cache's loader (bin/load-hook.cjs) runs
  // the file through `vm.Script`, where Node 20 offers `import()` only as an experimental
  // feature that warns on stderr and loses its callback when the code comes from the cache.
  supported: { "dynamic-import": false },
  // Readable stack traces in an incident beat the ~1 ms minifying would save.
  minify: false,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
});

// The warm-up call: a typical Bash call in a git workspace, against a closed loopback port so
// nothing leaves the machine. The hook maps it, fails to reach leash and answers a deny.
const ws = mkdtempSync(join(tmpdir(), "leash-hook-cache-"));
try {
  mkdirSync(join(ws, ".git"));
  writeFileSync(join(ws, ".git", "HEAD"), "ref: refs/heads/agent/fix\n");
  const call = {
    session_id: "build",
    hook_event_name: "PreToolUse",
    cwd: ws,
    tool_name: "Bash",
    tool_input: { command: "npm test && git push origin HEAD:refs/heads/agent/fix" },
  };
  // No NODE_OPTIONS and no flags: V8 refuses a cache made under other flags than the hook's.
  const warm = spawnSync(process.execPath, ["scripts/write-hook-cache.cjs"], {
    input: JSON.stringify(call),
    encoding: "utf8",
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: ws,
      LEASH_URL: "http://127.0.0.1:9",
      LEASH_CAPABILITY: "build-warm-up",
      LEASH_WORKSPACE: ws,
    },
  });
  if (warm.status !== 0 || !warm.stdout.includes("leash_unreachable"))
    throw new Error(
      `bundle-hook: the code cache's warm-up call did not answer as expected (exit ${warm.status}): ${warm.stdout}${warm.stderr}`,
    );
} finally {
  rmSync(ws, { recursive: true, force: true });
}
