import type { CliIo } from "./cli-io.js";
import { UsageError } from "./cli-io.js";

/** The server and capability an agent-side command uses: flags, else LEASH_URL / LEASH_CAPABILITY. */
export function capabilityTarget(
  flags: { server?: string | undefined; capability?: string | undefined },
  io: CliIo,
) {
  const server = flags.server ?? io.env["LEASH_URL"];
  if (!server) throw new UsageError("no server: pass --server URL or set LEASH_URL");
  const capability = flags.capability ?? io.env["LEASH_CAPABILITY"];
  if (!capability)
    throw new UsageError(
      "no capability: set LEASH_CAPABILITY (leash token --github-env LEASH_CAPABILITY) or pass --capability",
    );
  return { server, capability };
}

/**
 * `k=v` pairs into a record; values that look like JSON (numbers, booleans, arrays) are parsed.
 * Keys in `textLists` are always a list of text, however many times they are given.
 */
export function parsePairs(
  pairs: readonly string[],
  flag: string,
  textLists: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`${flag} ${pair}: write key=value`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    const prev = out[key];
    if (textLists.has(key)) {
      out[key] = [...(Array.isArray(prev) ? prev : []), ...toTextList(raw)];
      continue;
    }
    const value = parseValue(raw);
    // Repeating a key collects a list: --context k=a --context k=b
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** A JSON array as written (`paths=["a","b"]`), else the one value as text: a file named `1` is no number. */
function toTextList(raw: string): unknown[] {
  if (raw.startsWith("[")) {
    try {
      const v: unknown = JSON.parse(raw);
      if (Array.isArray(v)) return v;
    } catch {
      // Not JSON: a path that starts with a bracket.
    }
  }
  return [raw];
}

function parseValue(raw: string): unknown {
  if (/^(true|false|-?\d+(\.\d+)?|\[.*\]|\{.*\})$/s.test(raw)) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}
