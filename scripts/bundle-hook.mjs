#!/usr/bin/env node
// Joins the compiled hook entry (dist/src/cli/hook-main.js, from `tsc -b`) and the modules
// it imports into one CommonJS file, dist/hook/leash-hook.cjs, which bin/leash.cjs loads for
// `leash hook`. esbuild compiles nothing here: its input is tsc's JavaScript output, so the
// code that runs is the code that was type-checked and tested. Why one file: the hook runs
// before every agent tool call, and on Node 20 each ES module costs ~0.6 ms to resolve and
// link (measured in docs/performance.md, "Agent hooks").
import { build } from "esbuild";

await build({
  entryPoints: ["dist/src/cli/hook-main.js"],
  outfile: "dist/hook/leash-hook.cjs",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // Readable stack traces in an incident beat the ~1 ms minifying would save.
  minify: false,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
});
