import type { PolicyJson } from "./cedar.js";

/**
 * The attributes a group of policies can read. Cedar reads an attribute only through
 * `.attr` or `has attr`, so leaving out every other one changes no decision — and each
 * attribute handed to cedar-wasm costs microseconds to convert. `null` means "all": a
 * record used whole, or an attribute reached through anything but a plain
 * `principal.`/`resource.`/`context.` chain.
 */
export interface AttributeUsage {
  principal: ReadonlySet<string> | null;
  resource: ReadonlySet<string> | null;
  context: ReadonlySet<string> | null;
  /** Fields of `context.evidence`. */
  evidence: ReadonlySet<string> | null;
}

interface Collecting {
  principal: Set<string> | null;
  resource: Set<string> | null;
  context: Set<string> | null;
  evidence: Set<string> | null;
}

/** Collects what the conditions of `policies` read. */
export function readAttributeUsage(policies: readonly PolicyJson[]): AttributeUsage {
  const u: Collecting = {
    principal: new Set(),
    resource: new Set(),
    context: new Set(),
    evidence: new Set(),
  };
  for (const p of policies) for (const c of p.conditions) walk(c.body, u);
  return u;
}

function walk(expr: unknown, u: Collecting): void {
  if (expr === null || typeof expr !== "object") return;
  if (Array.isArray(expr)) {
    for (const e of expr) walk(e, u);
    return;
  }
  const node = expr as Record<string, unknown>;
  if ("Value" in node) return;
  if ("Var" in node) {
    if (node["Var"] === "context") u.context = null;
    return;
  }
  const access = (node["."] ?? node["has"]) as
    | { left: unknown; attr: string | string[] }
    | undefined;
  if (access !== undefined) {
    const base = chainOf(access.left);
    if (base === null) {
      readEverything(u, access.left);
      return;
    }
    record([...base, ...(Array.isArray(access.attr) ? access.attr : [access.attr])], u);
    return;
  }
  for (const value of Object.values(node)) walk(value, u);
}

/** `principal.a.b` → ["principal", "a", "b"]; null when not rooted at a variable. */
function chainOf(expr: unknown): string[] | null {
  if (expr === null || typeof expr !== "object") return null;
  const node = expr as Record<string, unknown>;
  if (typeof node["Var"] === "string") return [node["Var"]];
  const dot = node["."] as { left: unknown; attr: string } | undefined;
  if (dot === undefined) return null;
  const base = chainOf(dot.left);
  return base === null ? null : [...base, dot.attr];
}

function record(path: string[], u: Collecting): void {
  const [root, first, second] = path;
  if (first === undefined) return;
  if (root === "principal") u.principal?.add(first);
  else if (root === "resource") u.resource?.add(first);
  else if (root === "context") {
    u.context?.add(first);
    if (first === "evidence") {
      if (second === undefined) u.evidence = null;
      else u.evidence?.add(second);
    }
  }
}

function readEverything(u: Collecting, inner: unknown): void {
  u.principal = null;
  u.resource = null;
  u.context = null;
  u.evidence = null;
  walk(inner, u);
}

/** `attrs` with only the keys in `keep` (all of them when `keep` is null). */
export function pickAttributes<T extends Record<string, unknown>>(
  attrs: T,
  keep: ReadonlySet<string> | null,
): T {
  if (keep === null) return attrs;
  const out: Record<string, unknown> = {};
  for (const key of keep) if (key in attrs) out[key] = attrs[key];
  return out as T;
}
