import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseDurationSeconds } from "../../config/index.js";
import {
  createReportAccumulator,
  type Report,
  renderReportHtml,
  renderReportJson,
  renderReportText,
  streamDecisionRecords,
} from "../../metrics/index.js";
import { openStore } from "../../store/index.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { loadCliConfig } from "../find-config.js";

const HELP = `usage: leash report [--since 7d] [--format text|json|html] [--output FILE] [--config FILE] [--json]

Computes the zero-trust figures from the decision log: credential lifetime, permission
surface per trust rule, denied actions per 1,000 runs, policy latency by stage, revocation
time and provenance coverage. --format json is stable (docs/report.md); --format html is one
self-contained file with charts. --json is --format json.
`;

const RENDERERS: Record<string, (r: Report) => string> = {
  text: renderReportText,
  json: renderReportJson,
  html: renderReportHtml,
};

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      since: { type: "string", default: "7d" },
      format: { type: "string" },
      output: { type: "string" },
      config: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  const format = values.format ?? (values.json ? "json" : "text");
  const render = RENDERERS[format];
  if (!render) throw new UsageError(`--format ${format}: use text, json or html`);
  const sinceSeconds = parseDurationSeconds(values.since);
  if (!sinceSeconds) throw new UsageError(`--since ${values.since}: write e.g. 24h, 7d`);
  const config = loadCliConfig(values.config, io);
  const nowMs = Date.now();
  const window = { sinceMs: nowMs - sinceSeconds * 1000, untilMs: nowMs + 1 };
  const store = await openStore(config.store);
  let report: Report;
  try {
    const accumulator = createReportAccumulator();
    for await (const record of streamDecisionRecords(store, window)) accumulator.add(record);
    report = accumulator.finish({ ...window, nowMs });
  } finally {
    await store.close();
  }
  const text = render(report);
  if (values.output) {
    const path = resolve(io.cwd, values.output);
    writeFileSync(path, text);
    io.err(`leash: report written to ${path}\n`);
  } else io.out(text);
  return EXIT.ok;
}
