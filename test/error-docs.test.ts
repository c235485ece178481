import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const root = new URL("../../", import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

test("every error code defined in src is documented in docs/errors.md or docs/errors/*.md", () => {
  const defined = new Set<string>();
  for (const file of sources(join(root, "src"))) {
    for (const m of readFileSync(file, "utf8").matchAll(/^\s+(ERR_[A-Z0-9_]+): \{ status:/gm))
      defined.add(m[1] as string);
  }
  assert.ok(defined.size > 40, `found only ${defined.size} codes`);
  const docs = [
    join(root, "docs/errors.md"),
    ...readdirSync(join(root, "docs/errors")).map((f) => join(root, "docs/errors", f)),
  ]
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");
  const missing = [...defined].filter((code) => !docs.includes(`\`${code}\``));
  assert.deepEqual(missing, [], `undocumented codes: ${missing.join(", ")}`);
});
