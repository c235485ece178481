#!/usr/bin/env node
// The installed entry point, CommonJS on purpose: `leash hook …` runs before every agent
// tool call, and a CommonJS entry starts ~5 ms sooner than an ES module one on Node 20.
// The hook loads one pre-joined file (dist/hook/leash-hook.cjs, from scripts/bundle-hook.mjs),
// with V8's code cache when the build left one (bin/load-hook.cjs), and nothing else; every
// other command loads the compiled ESM dispatcher, which loads one command file.
const args = process.argv.slice(2);
// The hook's exports; undefined when only `tsc -b` ran (then the dispatcher runs the hook).
const hook = args[0] === "hook" ? require("./load-hook.cjs").loadHook() : undefined;
const run = hook
  ? hook.hookMain(args.slice(1), process.env)
  : import("../dist/src/cli/main.js").then(({ main }) => main(args, process.env));

run.then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`leash: internal error: ${err?.message ?? err}\n`);
    process.exitCode = 3;
  },
);
