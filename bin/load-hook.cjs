// Loads the joined hook file, dist/hook/leash-hook.cjs, with V8's code cache when the build
// left a good one beside it (dist/hook/leash-hook.cache, from scripts/write-hook-cache.cjs):
// the hook runs before every agent tool call, and compiling the file and then, lazily, each
// function it first calls is a measurable part of its start (docs/performance.md, "Agent
// hooks"). Node 20 has no `module.enableCompileCache`, so this does by hand what `require` does
// (wrap the file as a CommonJS function, compile, call) with `vm.Script`'s `cachedData`.
//
// Fail-safe by construction: a missing, foreign, stale or corrupt cache is never handed to V8
// or is refused by it, and the hook is then the same code compiled from source. The cache is
// only ever read here; it is written at build time, never by a running hook (the install
// directory may be read-only, and concurrent hooks would race).
"use strict";
const { readFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { dirname, join } = require("node:path");
const vm = require("node:vm");

const HOOK_FILE = join(__dirname, "..", "dist", "hook", "leash-hook.cjs");
const CACHE_FILE = join(__dirname, "..", "dist", "hook", "leash-hook.cache");
// Cache file: MAGIC, then the checksum (uint32 LE) of the hook file's bytes and V8's data, then
// V8's data. A new layout gets a new MAGIC, so an old cache is ignored rather than misread.
const MAGIC = Buffer.from("LHC1");
const HEADER_BYTES = MAGIC.length + 4;
// The name stack traces give the file when it was compiled here. Not its absolute path: on
// Node 20, code from a cache keeps the name it was compiled under at build time (the
// publisher's directory, for an npm install), so both compile under this one name and a trace
// reads the same, with or without the cache, on any machine (`__filename` stays the real path).
const SCRIPT_NAME = "leash/dist/hook/leash-hook.cjs";
// Node's own CommonJS wrapper: the code runs exactly as `require` would run it.
const WRAPPER_HEAD = "(function (exports, require, module, __filename, __dirname) { ";
const WRAPPER_TAIL = "\n});";

/** The hook's exports; undefined when only `tsc -b` ran (then the dispatcher runs the hook). */
function loadHook() {
  const script = compileCachedHook();
  if (script) return runHook(script, HOOK_FILE);
  try {
    return require(HOOK_FILE);
  } catch (err) {
    if (err?.code === "MODULE_NOT_FOUND" && String(err.message).includes("leash-hook.cjs"))
      return undefined;
    throw err;
  }
}

/** The hook compiled with its code cache, or undefined if there is no cache it can trust. */
function compileCachedHook() {
  try {
    const cache = readFileSync(CACHE_FILE);
    if (cache.length <= HEADER_BYTES || !cache.subarray(0, MAGIC.length).equals(MAGIC)) return;
    const source = readFileSync(HOOK_FILE);
    const cachedData = cache.subarray(HEADER_BYTES);
    // V8 checks only the cache's version, flags and the source's length; it trusts the bytes
    // (no checksum in release builds) and aborts the process on a corrupt cache, which would
    // leave the agent without an answer. Hence our own checksum, over the source too, so a
    // same-length edit of the hook file can't run stale code.
    if (cache.readUInt32LE(MAGIC.length) !== checksumHookCache(source, cachedData)) return;
    // If V8 still refuses the cache (another Node or V8 flags: `cachedDataRejected`), it has
    // compiled the source as `require` would; running that avoids compiling it twice.
    return compileHook(source.toString("utf8"), cachedData);
  } catch {
    // No cache (ENOENT) or an unreadable one: loadHook falls back to a plain `require`.
    return undefined;
  }
}

/** Compiles the hook's source as a CommonJS function; `cachedData` is V8's code cache, if any. */
function compileHook(source, cachedData) {
  return new vm.Script(WRAPPER_HEAD + source + WRAPPER_TAIL, {
    filename: SCRIPT_NAME,
    // No `importModuleDynamically`: scripts/bundle-hook.mjs turns the hook's `import()` into
    // `require`, so the file needs none.
    ...(cachedData ? { cachedData } : {}),
  });
}

/** Runs the compiled hook file as a CommonJS module and returns its exports. */
function runHook(script, filename) {
  const module = { exports: {} };
  const wrapper = script.runInThisContext();
  wrapper.call(
    module.exports,
    module.exports,
    createRequire(filename),
    module,
    filename,
    dirname(filename),
  );
  return module.exports;
}

/*
 * A 32-bit checksum of the hook file and the cache, in WebAssembly because it must cost next to
 * nothing: loading node:crypto takes ~3 ms on Node 20 and node:zlib ~1.6 ms, most of what the
 * cache saves, and the same loop in JavaScript runs interpreted (~3.5 ms). Each step is a
 * bijection of the state, so any single changed 8-byte word changes the result. The module:
 *
 *   (module (memory (export "memory") 1)
 *     (func (export "checksum") (param $length i32) (result i32) (local $at i32) (local $h i64)
 *       (block $done (loop $next
 *         (br_if $done (i32.ge_u (local.get $at) (local.get $length)))
 *         (local.set $h (i64.mul (i64.xor (i64.rotl (local.get $h) (i64.const 27))
 *                                         (i64.load (local.get $at)))
 *                                (i64.const 0x100000001b3)))
 *         (local.set $at (i32.add (local.get $at) (i32.const 8)))
 *         (br $next)))
 *       (i32.wrap_i64 (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 32))))))
 */
const CHECKSUM_WASM =
  "0061736d0100000001060160017f017f030201000503010001071502066d656d6f7279020008636865636b73756d" +
  "00000a3c013a02017f017e02400340200120004f0d012002421b8920012903008542b383808080207e2102200141" +
  "086a21010c000b0b2002200242208885a70b";
const WASM_PAGE_BYTES = 65536;

/** The checksum the cache file's header carries for `source` (the hook file's bytes) and `data`. */
function checksumHookCache(source, data) {
  const { exports } = new WebAssembly.Instance(
    new WebAssembly.Module(Buffer.from(CHECKSUM_WASM, "hex")),
  );
  // Zero padding to whole words, and the source's length mixed in, so bytes can't move
  // between the two parts unnoticed.
  const paddedBytes = Math.ceil((source.length + data.length) / 8) * 8;
  exports.memory.grow(Math.ceil(paddedBytes / WASM_PAGE_BYTES));
  const memory = new Uint8Array(exports.memory.buffer);
  memory.set(source, 0);
  memory.set(data, source.length);
  return (exports.checksum(paddedBytes) ^ source.length) >>> 0;
}

module.exports = {
  loadHook,
  compileHook,
  runHook,
  checksumHookCache,
  HOOK_FILE,
  CACHE_FILE,
  MAGIC,
  SCRIPT_NAME,
};
