import { parseArgs } from "node:util";
import { capabilityTarget } from "../capability-target.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { describeRefusal, postToLeash } from "../http-client.js";

const HELP = `usage: leash deploy --env ENV --artifact REF@sha256:HEX [--server URL] [--capability CAP] [--json]

Asks leash's deploy gate whether this deployment job may promote the artifact to ENV. The
artifact is named by digest (name@sha256:… or sha256:…); a tag is refused as artifact_not_pinned.
By default leash allows it with verified provenance for the digest from this repository,
passed tests for the commit that provenance names (attested by validation), the job's own
CI environment, and for production an approval. On allow prints the decision id (stdout)
for the deploy step to record; exit 0 allow, 1 deny (reasons on stderr).
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      env: { type: "string" },
      artifact: { type: "string" },
      server: { type: "string" },
      capability: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  if (!values.env || !values.artifact)
    throw new UsageError(`--env ENV and --artifact REF@sha256:HEX are required\n\n${HELP}`);
  const { server, capability } = capabilityTarget(values, io);
  const answer = await postToLeash(server, "v1/authorize", {
    json: {
      action: "deploy",
      resource: { type: "Environment", id: values.env },
      context: { artifact: values.artifact },
    },
    bearer: capability,
  });
  if (values.json) io.out(`${JSON.stringify(answer.body)}\n`);
  if (answer.status !== 200) {
    io.err(`leash: ${describeRefusal(answer)}\n`);
    return answer.status >= 500 ? EXIT.internal : answer.status === 400 ? EXIT.usage : EXIT.denied;
  }
  const b = answer.body;
  const reasons = (b["reasons"] as { code: string; message: string }[] | undefined) ?? [];
  if (b["decision"] !== "allow") {
    if (!values.json) io.out(`deny (${b["decision_id"]})\n`);
    for (const r of reasons) io.err(`leash: ${r.code}: ${r.message}\n`);
    return EXIT.denied;
  }
  if (!values.json) io.out(`${b["decision_id"]}\n`);
  io.err(
    `leash: deploy of ${values.artifact} to ${values.env} allowed (decision ${b["decision_id"]})\n`,
  );
  if (b["would_deny"])
    for (const r of reasons) io.err(`leash: observe mode, would deny: ${r.code}: ${r.message}\n`);
  return EXIT.ok;
}
