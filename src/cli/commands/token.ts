import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { describeRefusal } from "../http-client.js";
import { fromExchangeFlags, obtainCapability } from "../obtain-capability.js";

const HELP = `usage: leash token --zone ZONE [--actions a,b] [--server URL] [--audience A]
                   [--id-token-env NAME | --id-token-file F] [--github-env NAME] [--json]

Trades this job's OIDC ID token for a leash capability and prints it. On GitHub Actions
the ID token is requested with the job's ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN (the job needs
permissions: id-token: write); elsewhere pass --id-token-env or --id-token-file.
--github-env NAME masks the capability (::add-mask::) and writes NAME=<capability> to $GITHUB_ENV.
The OIDC token is never printed. --server defaults to LEASH_URL.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      zone: { type: "string" },
      actions: { type: "string" },
      server: { type: "string" },
      audience: { type: "string", default: "leash" },
      "id-token-env": { type: "string" },
      "id-token-file": { type: "string" },
      "github-env": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  if (!values.zone) throw new UsageError(`--zone is required\n\n${HELP}`);
  const server = values.server ?? io.env["LEASH_URL"];
  if (!server) throw new UsageError("no server: pass --server URL or set LEASH_URL");
  const result = await obtainCapability(
    fromExchangeFlags(server, { ...values, zone: values.zone }),
    io,
  );
  if (result.kind === "refused") {
    const { answer } = result;
    if (values.json) io.out(`${JSON.stringify(answer.body)}\n`);
    io.err(`leash: ${describeRefusal(answer)}\n`);
    return answer.status >= 500 ? EXIT.internal : EXIT.denied;
  }
  return printCapability(result.body, values, io);
}

function printCapability(
  body: Record<string, unknown>,
  values: { json?: boolean | undefined; "github-env"?: string | undefined },
  io: CliIo,
): number {
  const capability = body["access_token"] as string;
  const envName = values["github-env"];
  if (envName) {
    const file = io.env["GITHUB_ENV"];
    if (!file)
      throw new UsageError("--github-env needs $GITHUB_ENV (it is set inside GitHub Actions jobs)");
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName))
      throw new UsageError(`--github-env: ${envName} is not a variable name`);
    // Mask first, so the value can't appear unmasked in any later log line.
    io.out(`::add-mask::${capability}\n`);
    appendFileSync(file, `${envName}=${capability}\n`);
    io.err(
      `leash: capability ${body["capability_id"]} (zone ${body["zone"]}, ${body["expires_in"]}s) written to $GITHUB_ENV as ${envName}\n`,
    );
    return EXIT.ok;
  }
  io.out(values.json ? `${JSON.stringify(body)}\n` : `${capability}\n`);
  return EXIT.ok;
}
