#!/usr/bin/env node
// The installed entry point: loads only the compiled CLI dispatcher, which in turn
// loads one command file lazily, so `leash hook …` starts fast.
import { main } from "../dist/src/cli/main.js";

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`leash: internal error: ${err?.message ?? err}\n`);
    process.exitCode = 3;
  },
);
