import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { capabilityTarget, parsePairs } from "../capability-target.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { describeRefusal, postToLeash } from "../http-client.js";

const HELP = `usage: leash check ACTION --resource TYPE:ID [--attr k=v]… [--context k=v]…
                   [--evidence ID|FILE]… [--server URL] [--capability CAP] [--json]

Asks leash whether this job's capability may do ACTION on the resource, before doing it.
Exit 0 allow, 1 deny (reasons on stderr), 2 usage, 3 internal. A write names the files it
changes; paths is always a list: --attr paths=src/a.ts [--attr paths=src/b.ts]…
--evidence takes an attestation id (att_…) or a JSON file holding { "kind", "subject",
"content" } (self-reported: never enough to justify a write).
`;

/**
 * Attributes the policy reads as lists of text. One `--attr paths=src/a.ts` is still a list:
 * sent as a bare string, the policy can't tell what the change touches and fails closed.
 */
const TEXT_LIST_ATTRIBUTES: ReadonlySet<string> = new Set(["paths"]);

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      resource: { type: "string" },
      attr: { type: "string", multiple: true, default: [] },
      context: { type: "string", multiple: true, default: [] },
      evidence: { type: "string", multiple: true, default: [] },
      server: { type: "string" },
      capability: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  const action = positionals[0];
  if (!action || !values.resource)
    throw new UsageError(`ACTION and --resource TYPE:ID are required\n\n${HELP}`);
  const colon = values.resource.indexOf(":");
  if (colon <= 0)
    throw new UsageError("--resource takes TYPE:ID, e.g. Branch:refs/heads/agent/fix");
  const { server, capability } = capabilityTarget(values, io);
  const body = {
    action,
    resource: {
      type: values.resource.slice(0, colon),
      id: values.resource.slice(colon + 1),
      attrs: parsePairs(values.attr, "--attr", TEXT_LIST_ATTRIBUTES),
    },
    context: parsePairs(values.context, "--context"),
    evidence: values.evidence.map(toEvidence),
  };
  const answer = await postToLeash(server, "v1/authorize", { json: body, bearer: capability });
  if (values.json) io.out(`${JSON.stringify(answer.body)}\n`);
  if (answer.status !== 200) {
    io.err(`leash: ${describeRefusal(answer)}\n`);
    return answer.status >= 500 ? EXIT.internal : answer.status === 400 ? EXIT.usage : EXIT.denied;
  }
  return report(answer.body, values.json === true, io);
}

function report(b: Record<string, unknown>, json: boolean, io: CliIo): number {
  const reasons = (b["reasons"] as { code: string; message: string }[] | undefined) ?? [];
  if (b["decision"] === "allow") {
    if (!json)
      io.out(
        `allow (${b["decision_id"]})${b["would_deny"] ? " — observe mode: would deny" : ""}\n`,
      );
    if (b["would_deny"])
      for (const r of reasons) io.err(`leash: would deny: ${r.code}: ${r.message}\n`);
    return EXIT.ok;
  }
  if (!json) io.out(`deny (${b["decision_id"]})\n`);
  for (const r of reasons) io.err(`leash: ${r.code}: ${r.message}\n`);
  return EXIT.denied;
}

function toEvidence(ref: string): unknown {
  if (/^att_[A-Za-z0-9_-]+$/.test(ref)) return ref;
  if (!existsSync(ref))
    throw new UsageError(`--evidence ${ref}: neither an attestation id (att_…) nor a file`);
  return JSON.parse(readFileSync(ref, "utf8"));
}
