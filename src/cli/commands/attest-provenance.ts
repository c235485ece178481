import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { digestFile } from "../../provenance/index.js";
import { capabilityTarget } from "../capability-target.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { describeRefusal, postToLeash } from "../http-client.js";

const HELP = `usage: leash attest provenance (--artifact FILE | --digest sha256:HEX) [--name NAME]
                               [--output FILE] [--server URL] [--capability CAP] [--json]

Asks leash for signed SLSA provenance of an artifact this publishing job built. leash
decides artifact.publish first (by default: passed tests for this commit, attested by the
validation zone); on allow it signs an in-toto SLSA v1 statement from the job's context,
keeps it as evidence deploys find by digest, and returns a Sigstore bundle (--output writes
it, e.g. app.sigstore.json). Prints the attestation id. Exit 0 signed, 1 denied.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      artifact: { type: "string" },
      digest: { type: "string" },
      name: { type: "string" },
      output: { type: "string" },
      server: { type: "string" },
      capability: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  const artifact = toArtifact(values);
  const { server, capability } = capabilityTarget(values, io);
  const answer = await postToLeash(server, "v1/attestations", {
    json: { kind: "provenance", artifact },
    bearer: capability,
  });
  if (values.json) io.out(`${JSON.stringify(answer.body)}\n`);
  const reasons = (answer.body["reasons"] as { code: string; message: string }[]) ?? [];
  const printReasons = () => {
    for (const r of reasons) io.err(`leash: ${r.code}: ${r.message}\n`);
  };
  if (answer.status === 200 && answer.body["would_deny"] === true) {
    // Observe mode: the job goes on, but leash signs nothing a policy would have refused.
    io.err("leash: observe mode: artifact.publish would be denied; no provenance was signed\n");
    printReasons();
    return EXIT.ok;
  }
  if (answer.status !== 201) {
    io.err(`leash: ${describeRefusal(answer)}\n`);
    printReasons();
    return answer.status >= 500 ? EXIT.internal : answer.status === 400 ? EXIT.usage : EXIT.denied;
  }
  if (values.output) writeFileSync(values.output, `${JSON.stringify(answer.body["bundle"])}\n`);
  if (!values.json) io.out(`${answer.body["id"]}\n`);
  return EXIT.ok;
}

function toArtifact(values: { artifact?: string; digest?: string; name?: string }) {
  if (Boolean(values.artifact) === Boolean(values.digest)) {
    throw new UsageError(`give exactly one of --artifact FILE or --digest sha256:HEX\n\n${HELP}`);
  }
  let digest = values.digest;
  if (values.artifact) {
    try {
      digest = `sha256:${digestFile(values.artifact, "sha256").hex}`;
    } catch {
      throw new UsageError(`--artifact ${values.artifact}: cannot read the file`);
    }
  }
  const name = values.name ?? (values.artifact ? basename(values.artifact) : undefined);
  return name === undefined ? { digest } : { name, digest };
}
