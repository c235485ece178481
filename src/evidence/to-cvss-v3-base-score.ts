/**
 * CVSS v3.0 / v3.1 base scores from vector strings, by the v3.1 specification's formula
 * (section 7.1) and its Roundup (Appendix A). Only base metrics are scored; temporal and
 * environmental metrics in the vector are accepted and ignored, since advisories publish base
 * scores.
 */

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  PR: { N: 0.85, L: 0.62, H: 0.27 },
  UI: { N: 0.85, R: 0.62 },
  S: { U: 0, C: 1 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
} as const;
type BaseMetric = keyof typeof WEIGHTS;
const BASE_METRICS = Object.keys(WEIGHTS) as BaseMetric[];
/** PR weighs more when the scope changes: the attacker's privileges reach further. */
const PR_SCOPE_CHANGED = { N: 0.85, L: 0.68, H: 0.5 } as const;
/** Temporal and environmental metrics: allowed in a vector, not part of the base score. */
const NON_BASE_METRICS = new Set([
  "E",
  "RL",
  "RC",
  "CR",
  "IR",
  "AR",
  "MAV",
  "MAC",
  "MPR",
  "MUI",
  "MS",
  "MC",
  "MI",
  "MA",
]);

/**
 * `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` → 9.8; undefined for anything that is not a
 * well-formed v3.0/v3.1 vector with each base metric exactly once (CVSS v2 and v4 included).
 */
export function toCvssV3BaseScore(vector: string): number | undefined {
  const metrics = readVector(vector);
  if (metrics === undefined) return undefined;
  const w = (m: BaseMetric) => (WEIGHTS[m] as Record<string, number>)[metrics.get(m)!]!;
  const changed = metrics.get("S") === "C";
  const pr = changed
    ? PR_SCOPE_CHANGED[metrics.get("PR") as keyof typeof PR_SCOPE_CHANGED]
    : w("PR");
  const iss = 1 - (1 - w("C")) * (1 - w("I")) * (1 - w("A"));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  if (impact <= 0) return 0;
  const exploitability = 8.22 * w("AV") * w("AC") * pr * w("UI");
  const sum = changed ? 1.08 * (impact + exploitability) : impact + exploitability;
  return roundUp(Math.min(sum, 10));
}

/** The metrics of a v3.x vector, or undefined when it is not one (unknown, repeated or missing). */
function readVector(vector: string): Map<string, string> | undefined {
  const parts = vector.split("/");
  if (parts[0] !== "CVSS:3.0" && parts[0] !== "CVSS:3.1") return undefined;
  const metrics = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const [name, value, extra] = part.split(":");
    if (name === undefined || value === undefined || extra !== undefined) return undefined;
    if (metrics.has(name)) return undefined;
    const known = Object.hasOwn(WEIGHTS, name)
      ? Object.hasOwn(WEIGHTS[name as BaseMetric], value)
      : NON_BASE_METRICS.has(name);
    if (!known) return undefined;
    metrics.set(name, value);
  }
  return BASE_METRICS.every((m) => metrics.has(m)) ? metrics : undefined;
}

/**
 * The smallest number with one decimal that is ≥ the input, computed on integers so that
 * floating-point noise (e.g. 4.000000001) does not round up a whole tenth (v3.1 Appendix A).
 */
function roundUp(value: number): number {
  const scaled = Math.round(value * 100_000);
  return scaled % 10_000 === 0 ? scaled / 100_000 : (Math.floor(scaled / 10_000) + 1) / 10;
}
