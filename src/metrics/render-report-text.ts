import type { Report } from "./report.js";

const pct = (share: number | null) => (share === null ? "n/a" : `${(share * 100).toFixed(1)}%`);
const num = (n: number | null, unit = "") => (n === null ? "n/a" : `${fmt(n)}${unit}`);
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
const table = (rows: string[][]) => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ")}`.trimEnd());
};

/** The report for a terminal: one section per figure, plain text, no colour. */
export function renderReportText(report: Report): string {
  const lines = [
    `leash report  ${report.window.since} .. ${report.window.until}  (${report.records} decision records)`,
    "",
    ...lifetime(report),
    "",
    ...surface(report),
    "",
    ...denials(report),
    "",
    ...latency(report),
    "",
    ...revocation(report),
    "",
    ...provenance(report),
  ];
  return `${lines.join("\n")}\n`;
}

function lifetime(r: Report): string[] {
  const c = r.credential_lifetime;
  return [
    "Credential lifetime",
    ...table([
      ["zone", "capabilities", "median", "max"],
      ...c.by_zone.map((z) => [
        z.zone,
        String(z.capabilities),
        `${z.median_seconds}s`,
        `${z.max_seconds}s`,
      ]),
    ]),
    `  write-capable capabilities within 15 min: ${c.write_capable.within_15_minutes}/${c.write_capable.capabilities} (${pct(c.write_capable.share)})`,
  ];
}

function surface(r: Report): string[] {
  return [
    "Permission surface (granted vs used, per trust rule)",
    ...table([
      ["rule", "capabilities", "granted", "used", "unused (cut these)"],
      ...r.permission_surface.by_rule.map((s) => [
        s.rule,
        String(s.capabilities),
        String(s.granted.length),
        String(s.used.length),
        s.unused.join(", ") || "-",
      ]),
    ]),
  ];
}

function denials(r: Report): string[] {
  const d = r.denied_actions;
  return [
    `Denied actions per 1,000 runs (${d.runs} runs)`,
    ...table([
      ["category", "denied", "per 1,000 runs", "would deny (observe)"],
      ...(["writes", "secret_reads", "promotions"] as const).map((k) => [
        k.replace("_", " "),
        String(d.denied[k]),
        num(d.per_1000_runs[k]),
        String(d.would_deny[k]),
      ]),
    ]),
  ];
}

function latency(r: Report): string[] {
  return [
    "Policy latency",
    ...table([
      ["stage", "decisions", "p50", "p99"],
      ...r.policy_latency.by_stage.map((s) => [
        s.stage,
        String(s.decisions),
        `${fmt(s.p50_ms)} ms`,
        `${fmt(s.p99_ms)} ms`,
      ]),
    ]),
  ];
}

function revocation(r: Report): string[] {
  const v = r.revocation_time;
  return [
    "Revocation time (revoke to first refusal)",
    `  ${v.revocations} revocations, ${v.observed} followed by a refusal; p50 ${num(v.p50_ms, " ms")}, p99 ${num(v.p99_ms, " ms")}, max ${num(v.max_ms, " ms")}`,
  ];
}

function provenance(r: Report): string[] {
  const p = r.provenance_coverage;
  return [
    "Provenance coverage",
    `  ${p.verified}/${p.deploys} deploys with verified provenance (${pct(p.share)}); ${p.unverified} without, ${p.unknown} unknown`,
  ];
}
