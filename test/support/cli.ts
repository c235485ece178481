import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";

/** Runs the CLI in this process, through its real entry (`main`), and collects what it prints. */
export async function runLeashCli(
  argv: string[],
  env: Record<string, string>,
  cwd = tmpdir(),
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    env,
    cwd,
    out: (t: string) => void out.push(t),
    err: (t: string) => void err.push(t),
  };
  const code = await main(argv, env, io);
  return { code, out: out.join(""), err: err.join("") };
}

/** Writes `dir`/leash.yaml: the shipped example, with its store and state inside `dir`. */
export function writeExampleConfig(dir: string): string {
  const configFile = join(dir, "leash.yaml");
  const example = readFileSync(new URL("../../../examples/leash.yaml", import.meta.url), "utf8");
  writeFileSync(
    configFile,
    example
      .replace(/url: "sqlite:[^"]*"/, 'url: "sqlite:state/leash.db"')
      .replace(/^state_dir: .*$/m, "state_dir: state"),
  );
  return configFile;
}
