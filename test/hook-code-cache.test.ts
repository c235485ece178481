import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startTestIssuer, type TestIssuer } from "./support/oidc-issuer.js";
import { claudeDecision, makeHookWorkspace, runHook } from "./support/run-hook.js";
import { startTestLeash, type TestLeash } from "./support/test-leash.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** bin/load-hook.cjs, the loader `leash hook` uses. */
interface HookLoader {
  HOOK_FILE: string;
  CACHE_FILE: string;
  MAGIC: Buffer;
  compileHook(source: string, cachedData?: Buffer): { cachedDataRejected?: boolean };
  checksumHookCache(source: Buffer, data: Buffer): number;
}
const loader = createRequire(import.meta.url)(join(ROOT, "bin", "load-hook.cjs")) as HookLoader;
const HEADER_BYTES = loader.MAGIC.length + 4;

/** Whether V8 takes `cache` (a whole cache file) for the hook file `source`. */
function acceptedByV8(source: Buffer, cache: Buffer): boolean {
  const script = loader.compileHook(source.toString("utf8"), cache.subarray(HEADER_BYTES));
  return script.cachedDataRejected === false;
}

describe("the hook's code cache (dist/hook/leash-hook.cache)", () => {
  const builtSource = readFileSync(loader.HOOK_FILE);
  const builtCache = readFileSync(loader.CACHE_FILE);

  test("the build wrote one, with a good checksum, that this Node's V8 accepts", () => {
    assert.deepEqual(builtCache.subarray(0, loader.MAGIC.length), loader.MAGIC);
    assert.equal(
      builtCache.readUInt32LE(loader.MAGIC.length),
      loader.checksumHookCache(builtSource, builtCache.subarray(HEADER_BYTES)),
    );
    assert.ok(acceptedByV8(builtSource, builtCache));
  });

  let issuer: TestIssuer;
  let t: TestLeash;
  let dir: string;
  let ws: string;
  let env: Record<string, string>;
  before(async () => {
    issuer = await startTestIssuer();
    t = await startTestLeash({ issuer });
    const capability = String((await t.exchange("editing")).body["access_token"]);
    ({ dir, ws, env } = makeHookWorkspace("leash-hook-cache-", t.url, capability));
  });
  after(async () => {
    await t.close();
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bash = (command: string) => ({
    session_id: "s1",
    hook_event_name: "PreToolUse",
    cwd: ws,
    tool_name: "Bash",
    tool_input: { command, description: "work on the fix" },
  });

  /** An install of the hook as npm lays it out (bin/, dist/hook/), with `cache` as its cache. */
  function install(name: string, cache: Buffer, source: Buffer = builtSource): string {
    const root = join(dir, name);
    mkdirSync(join(root, "bin"), { recursive: true });
    mkdirSync(join(root, "dist", "hook"), { recursive: true });
    for (const file of ["leash.cjs", "load-hook.cjs"])
      copyFileSync(join(ROOT, "bin", file), join(root, "bin", file));
    writeFileSync(join(root, "dist", "hook", "leash-hook.cjs"), source);
    writeFileSync(join(root, "dist", "hook", "leash-hook.cache"), cache);
    return join(root, "bin", "leash.cjs");
  }

  /** The built cache with `length` bytes from `offset` XORed with `mask`. */
  const corrupted = (offset: number, length: number, mask: number) => {
    const cache = Buffer.from(builtCache);
    for (let i = offset; i < offset + length; i++) cache[i] = (cache[i] as number) ^ mask;
    return cache;
  };

  /** A cache V8 refuses: written by scripts/write-hook-cache.cjs under another V8 flag. */
  function cacheUnderOtherFlags(): Buffer {
    const root = join(dir, "other-flags");
    mkdirSync(root, { recursive: true });
    const hookFile = join(root, "leash-hook.cjs");
    const cacheFile = join(root, "leash-hook.cache");
    writeFileSync(hookFile, builtSource);
    const warm = spawnSync(
      process.execPath,
      ["--no-opt", join(ROOT, "scripts", "write-hook-cache.cjs"), hookFile, cacheFile],
      {
        input: JSON.stringify(bash("npm test")),
        env: { ...env, LEASH_URL: "http://127.0.0.1:9" },
        encoding: "utf8",
      },
    );
    assert.equal(warm.status, 0, warm.stderr);
    return readFileSync(cacheFile);
  }

  const cases: { name: string; cache: () => Buffer; v8Accepts?: boolean }[] = [
    { name: "the build's own cache", cache: () => builtCache, v8Accepts: true },
    // V8 takes these (its own header is intact) and then crashes or runs garbage.
    {
      name: "64 bytes garbled in V8's data",
      cache: () => corrupted(builtCache.length >> 1, 64, 0x5a),
    },
    { name: "one bit flipped in V8's data", cache: () => corrupted(builtCache.length - 100, 1, 1) },
    { name: "one bit flipped in the checksum", cache: () => corrupted(loader.MAGIC.length, 1, 1) },
    { name: "truncated", cache: () => builtCache.subarray(0, builtCache.length >> 1) },
    { name: "empty", cache: () => Buffer.alloc(0) },
    { name: "not a cache at all", cache: () => Buffer.from("#!/bin/sh\nexit 0\n") },
    {
      name: "another layout (magic)",
      cache: () => Buffer.concat([Buffer.from("LHC0"), builtCache.subarray(4)]),
    },
    { name: "made under other V8 flags", cache: cacheUnderOtherFlags, v8Accepts: false },
  ];
  for (const c of cases) {
    test(`cache ${c.name}: the hook answers as without one`, async () => {
      const cache = c.cache();
      if (c.v8Accepts !== undefined) assert.equal(acceptedByV8(builtSource, cache), c.v8Accepts);
      const bin = install(c.name.replace(/\W+/g, "-"), cache);
      const deny = claudeDecision(
        await runHook("claude", bash("git push origin HEAD:main"), env, [], bin),
      );
      assert.equal(deny.decision, "deny", deny.reason);
      assert.ok(deny.reason.includes("protected_branch:"), deny.reason);
      const allow = claudeDecision(
        await runHook("claude", bash("git push origin HEAD:refs/heads/agent/fix"), env, [], bin),
      );
      assert.equal(allow.decision, "allow", allow.reason);
      // An https: URL loads node:tls on demand, which must work from the cache too.
      const tls = claudeDecision(
        await runHook(
          "claude",
          bash("npm test"),
          { ...env, LEASH_URL: "https://127.0.0.1:9" },
          [],
          bin,
        ),
      );
      assert.equal(tls.decision, "deny", tls.reason);
      assert.ok(tls.reason.includes("leash_unreachable:"), tls.reason);
      assert.ok(tls.reason.includes("ECONNREFUSED"), tls.reason);
    });
  }

  test("a hook file edited after the build (same length) runs as edited, not from the cache", async () => {
    const original = "denied, as every call leash can't decide is";
    const edited = "DENIED, as every call leash can't decide is";
    const source = Buffer.from(builtSource.toString("utf8").replace(original, edited));
    assert.equal(source.length, builtSource.length);
    // V8 checks only the length: it would run the cache's code for the old file.
    assert.ok(acceptedByV8(source, builtCache));
    const bin = install("edited", builtCache, source);
    const { decision, reason } = claudeDecision(
      await runHook(
        "claude",
        bash("npm test"),
        { ...env, LEASH_URL: "http://127.0.0.1:9" },
        [],
        bin,
      ),
    );
    assert.equal(decision, "deny");
    assert.ok(reason.includes(edited), reason);
  });
});
