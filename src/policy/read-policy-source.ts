import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256Hex, toCanonicalJson } from "../encoding/index.js";
import { policyError } from "./policy-errors.js";
import type { PolicySource } from "./types.js";

/** The shipped schema and default pack, found relative to this file (src/ or dist/src/). */
export const DEFAULT_SCHEMA_PATH = fileURLToPath(
  new URL("../../../policies/leash.cedarschema", import.meta.url),
);
export const DEFAULT_POLICY_DIR = fileURLToPath(
  new URL("../../../policies/default", import.meta.url),
);

export interface PolicyFile {
  /** The path as read, for messages. */
  path: string;
  name: string;
  text: string;
}

export interface PolicySourceText {
  schemaPath: string;
  schemaText: string;
  files: PolicyFile[];
  /** `sha256:` over the schema and the sorted file names and contents. */
  digest: string;
}

/** Reads the schema and every `.cedar` file directly in each dir. Throws ERR_POLICY_INVALID. */
export function readPolicySource(source: PolicySource): PolicySourceText {
  const schemaPath = source.schemaPath ?? DEFAULT_SCHEMA_PATH;
  const schemaText = readText(schemaPath, "ERR_POLICY_SCHEMA_INVALID");
  const files = source.dirs.flatMap(readDir);
  if (files.length === 0) {
    throw policyError("ERR_POLICY_INVALID", `no .cedar files in ${source.dirs.join(", ")}`, {
      dirs: source.dirs,
    });
  }
  files.sort((a, b) => compare(a.name, b.name) || compare(a.text, b.text));
  return { schemaPath, schemaText, files, digest: digestOf(schemaText, files) };
}

function readDir(dir: string): PolicyFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".cedar"));
  } catch (cause) {
    throw policyError("ERR_POLICY_INVALID", `cannot read policy directory ${dir}`, { dir }, cause);
  }
  return names.map((name) => {
    const path = join(dir, name);
    return { path, name, text: readText(path, "ERR_POLICY_INVALID") };
  });
}

function readText(path: string, code: "ERR_POLICY_INVALID" | "ERR_POLICY_SCHEMA_INVALID"): string {
  try {
    return readFileSync(path, "utf8");
  } catch (cause) {
    throw policyError(code, `cannot read ${path}`, { file: path }, cause);
  }
}

function digestOf(schemaText: string, files: PolicyFile[]): string {
  const canonical = toCanonicalJson({
    schema: sha256Hex(schemaText),
    files: files.map((f) => [f.name, sha256Hex(f.text)]),
  });
  return `sha256:${sha256Hex(canonical)}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
