import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { capabilityTarget } from "../capability-target.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { describeRefusal, postToLeash } from "../http-client.js";

const HELP = `usage: leash attest KIND FILE --subject SHA|sha256:HEX [--before FILE] [--stack NAME] [--server URL] [--capability CAP] [--json]
       leash attest provenance (--artifact FILE | --digest sha256:HEX) [--name NAME] [--output FILE]

Submits raw CI output for leash to parse, sign and keep as evidence. KIND is one of
junit, npm-audit, osv, terraform-plan, drift-check (FILE is the report), or lockfile-diff
(FILE is the new package-lock.json or pnpm-lock.yaml; --before the old one).
A terraform-plan or drift-check describes one stack: --stack names it as infra.change asks
about it (the Stack id, e.g. production); without it, the repository's own stack (its
owner/name, the stack the git gateway asks about). It counts for no other stack.
Validation jobs attest tests and scans; editing jobs attest their lockfile diffs and plans.
Prints the attestation id (att_…) to pass as --evidence.
`;

const JSON_KINDS = new Set(["npm-audit", "osv", "terraform-plan", "drift-check"]);

export async function run(args: string[], io: CliIo): Promise<number> {
  // Provenance is decided (artifact.publish) and signed by leash, not parsed from a report.
  if (args[0] === "provenance")
    return (await import("./attest-provenance.js")).run(args.slice(1), io);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      subject: { type: "string" },
      before: { type: "string" },
      stack: { type: "string" },
      server: { type: "string" },
      capability: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  const [kind, file] = positionals;
  if (!kind || !file || !values.subject)
    throw new UsageError(`KIND, FILE and --subject are required\n\n${HELP}`);
  const { server, capability } = capabilityTarget(values, io);
  const subject =
    values.subject.startsWith("sha256:") || values.subject.startsWith("sha512:")
      ? { digest: values.subject }
      : { sha: values.subject };
  const answer = await postToLeash(server, "v1/attestations", {
    json: {
      kind,
      subject,
      ...(values.stack === undefined ? {} : { stack: values.stack }),
      content: readContent(kind, file, values.before),
    },
    bearer: capability,
  });
  if (values.json) io.out(`${JSON.stringify(answer.body)}\n`);
  if (answer.status !== 201) {
    io.err(`leash: ${describeRefusal(answer)}\n`);
    return answer.status >= 500 ? EXIT.internal : EXIT.denied;
  }
  if (!values.json) io.out(`${answer.body["id"]}\n`);
  return EXIT.ok;
}

function readContent(kind: string, file: string, before: string | undefined): unknown {
  const text = readFileSync(file, "utf8");
  if (kind === "lockfile-diff") {
    const lockfile = file.endsWith("pnpm-lock.yaml") ? "pnpm-lock.yaml" : "package-lock.json";
    return { lockfile, before: before ? readFileSync(before, "utf8") : "", after: text };
  }
  // Reports that are JSON go as JSON, so leash's error names a JSON path in them.
  if (JSON_KINDS.has(kind)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
