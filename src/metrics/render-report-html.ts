import { escapeHtml } from "./escape-html.js";
import { renderSvgBars } from "./render-svg-bars.js";
import type { Report } from "./report.js";

const pct = (share: number | null) => (share === null ? "n/a" : `${(share * 100).toFixed(1)}%`);
const ms = (n: number | null) => (n === null ? "n/a" : `${n} ms`);
const esc = escapeHtml;

// No script and nothing fetched: the page is safe to open from a mail attachment or a CI artifact.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
const STYLE =
  "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}" +
  "h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ddd}" +
  "table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.2rem .6rem;text-align:left;border-bottom:1px solid #eee}" +
  ".big{font-size:1.6rem;font-weight:bold}.muted{color:#666}";

/** The report as ONE self-contained HTML file with inline SVG charts: no CDN, no script. */
export function renderReportHtml(report: Report): string {
  const body = [
    `<h1>leash report</h1><p class="muted">${esc(report.window.since)} – ${esc(report.window.until)} · ${report.records} decision records · generated ${esc(report.generated_at)}</p>`,
    lifetime(report),
    surface(report),
    denials(report),
    latency(report),
    revocation(report),
    provenance(report),
  ].join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>leash report</title><style>${STYLE}</style></head>
<body>
${body}
</body></html>
`;
}

function lifetime(r: Report): string {
  const c = r.credential_lifetime;
  const chart = renderSvgBars({
    title: "Capability lifetime by zone",
    unit: " s",
    series: ["median", "max"],
    groups: c.by_zone.map((z) => ({
      label: `${z.zone} (${z.capabilities})`,
      bars: [
        { series: 0, value: z.median_seconds },
        { series: 1, value: z.max_seconds },
      ],
    })),
  });
  return `<h2>Credential lifetime</h2><p><span class="big">${pct(c.write_capable.share)}</span> of write-capable capabilities live 15 minutes or less (${c.write_capable.within_15_minutes}/${c.write_capable.capabilities}).</p>${chart}`;
}

function surface(r: Report): string {
  const rules = r.permission_surface.by_rule;
  const chart = renderSvgBars({
    title: "Actions granted vs used, per trust rule",
    unit: "",
    series: ["granted", "used"],
    groups: rules.map((s) => ({
      label: s.rule,
      bars: [
        { series: 0, value: s.granted.length },
        { series: 1, value: s.used.length },
      ],
    })),
  });
  const rows = rules
    .map(
      (s) =>
        `<tr><td>${esc(s.rule)}</td><td>${s.capabilities}</td><td>${esc(s.unused.join(", ") || "–")}</td></tr>`,
    )
    .join("");
  return `<h2>Permission surface</h2>${chart}<table><tr><th>rule</th><th>capabilities</th><th>unused grants (cut these)</th></tr>${rows}</table>`;
}

function denials(r: Report): string {
  const d = r.denied_actions;
  const keys = ["writes", "secret_reads", "promotions"] as const;
  const chart = renderSvgBars({
    title: `Denied actions per 1,000 runs (${d.runs} runs)`,
    unit: "",
    series: ["per 1,000 runs"],
    groups: keys.map((k) => ({
      label: k.replace("_", " "),
      bars: [{ series: 0, value: d.per_1000_runs[k] ?? 0 }],
    })),
  });
  const rows = keys
    .map(
      (k) =>
        `<tr><td>${k.replace("_", " ")}</td><td>${d.denied[k]}</td><td>${d.would_deny[k]}</td></tr>`,
    )
    .join("");
  return `<h2>Denied actions</h2>${chart}<table><tr><th>category</th><th>denied</th><th>would deny (observe)</th></tr>${rows}</table>`;
}

function latency(r: Report): string {
  const chart = renderSvgBars({
    title: "Policy latency by stage",
    unit: " ms",
    series: ["p50", "p99"],
    groups: r.policy_latency.by_stage.map((s) => ({
      label: `${s.stage} (${s.decisions})`,
      bars: [
        { series: 0, value: s.p50_ms },
        { series: 1, value: s.p99_ms },
      ],
    })),
  });
  return `<h2>Policy latency</h2>${chart}`;
}

function revocation(r: Report): string {
  const v = r.revocation_time;
  return `<h2>Revocation time</h2><p>${v.revocations} revocations, ${v.observed} followed by a refusal of a covered capability. Revoke to first refusal: p50 <b>${ms(v.p50_ms)}</b>, p99 <b>${ms(v.p99_ms)}</b>, max ${ms(v.max_ms)}.</p>`;
}

function provenance(r: Report): string {
  const p = r.provenance_coverage;
  return `<h2>Provenance coverage</h2><p><span class="big">${pct(p.share)}</span> of deploys had verified provenance (${p.verified} of ${p.deploys}; ${p.unverified} without, ${p.unknown} unknown).</p>`;
}
