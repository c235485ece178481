#!/usr/bin/env node
// Writes V8's code cache for the joined hook file (dist/hook/leash-hook.cjs → leash-hook.cache),
// which bin/load-hook.cjs reads. Run by scripts/bundle-hook.mjs in a child process with a
// typical PreToolUse call on stdin and no Node or V8 flags: the cache is made after the hook
// answered that call, so it holds the functions a hook start compiles lazily too, not only the
// file's top level; and V8 refuses a cache made under other flags.
// Usage: node scripts/write-hook-cache.cjs [HOOK_FILE CACHE_FILE]   (hook arguments: claude)
"use strict";
const { readFileSync, renameSync, writeFileSync } = require("node:fs");
const {
  CACHE_FILE,
  HOOK_FILE,
  MAGIC,
  checksumHookCache,
  compileHook,
  runHook,
} = require("../bin/load-hook.cjs");

const [hookFile = HOOK_FILE, cacheFile = CACHE_FILE] = process.argv.slice(2);
const source = readFileSync(hookFile);
const script = compileHook(source.toString("utf8"));
const { hookMain } = runHook(script, hookFile);

hookMain(["claude"], process.env).then((code) => {
  const data = script.createCachedData();
  const header = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(header);
  header.writeUInt32LE(checksumHookCache(source, data), MAGIC.length);
  // Written aside and renamed, so a build that stops half-way leaves no torn cache.
  const partial = `${cacheFile}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.concat([header, data]));
  renameSync(partial, cacheFile);
  process.exitCode = code;
});
