import { parseArgs } from "node:util";
import { readAdminToken } from "../../broker/index.js";
import { loadConfig } from "../../config/index.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { describeRefusal, postToLeash } from "../http-client.js";

const HELP = `usage: leash revoke (--capability ID | --repository-id ID [--run-id ID] | --subject SUB)
                    [--reason TEXT] [--server URL] [--config FILE] [--json]

Revokes at once, on every instance. Needs the admin token: LEASH_ADMIN_TOKEN, or the
token file of the server's state folder (found through --config).
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      capability: { type: "string" },
      "repository-id": { type: "string" },
      "run-id": { type: "string" },
      subject: { type: "string" },
      reason: { type: "string" },
      server: { type: "string" },
      config: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  const body: Record<string, string> = {};
  if (values.capability) body["capability_id"] = values.capability;
  if (values["repository-id"]) body["repository_id"] = values["repository-id"];
  if (values["run-id"]) body["run_id"] = values["run-id"];
  if (values.subject) body["subject"] = values.subject;
  if (values.reason) body["reason"] = values.reason;
  verifyTarget(values);
  const { server, adminToken } = adminTarget(values.server, values.config, io);
  const answer = await postToLeash(server, "v1/revoke", { json: body, bearer: adminToken });
  if (values.json) io.out(`${JSON.stringify(answer.body)}\n`);
  if (answer.status !== 200) {
    io.err(`leash: ${describeRefusal(answer)}\n`);
    return answer.status >= 500 ? EXIT.internal : answer.status === 400 ? EXIT.usage : EXIT.denied;
  }
  if (!values.json)
    io.out(
      `revoked ${answer.body["kind"]} ${answer.body["value"]} at ${answer.body["revoked_at"]}\n`,
    );
  return EXIT.ok;
}

/** The server URL and admin token for admin commands. */
export function adminTarget(
  serverFlag: string | undefined,
  configFlag: string | undefined,
  io: CliIo,
) {
  const config = configFlag ?? io.env["LEASH_CONFIG"];
  const loaded = config ? loadConfig(config) : undefined;
  const server = serverFlag ?? io.env["LEASH_URL"] ?? loaded?.server.publicUrl;
  if (!server)
    throw new UsageError("no server: pass --server URL, set LEASH_URL, or pass --config");
  const adminToken = readAdminToken(io.env["LEASH_ADMIN_TOKEN"], loaded?.stateDir ?? "");
  if (!adminToken)
    throw new UsageError(
      "no admin token: set LEASH_ADMIN_TOKEN or pass --config of the server whose state folder holds it",
    );
  return { server, adminToken };
}

/**
 * Exactly one target, and a run only within its repository: a revocation that names more
 * than one thing is ambiguous (the server refuses it too), and one that names none would
 * revoke nothing while looking done.
 */
function verifyTarget(values: Record<string, string | boolean | undefined>): void {
  const targets = ["capability", "repository-id", "subject"].filter((k) => values[k]);
  if (targets.length !== 1)
    throw new UsageError(
      `name exactly one of --capability, --repository-id or --subject${targets.length > 1 ? ` (got --${targets.join(", --")})` : ""}\n\n${HELP}`,
    );
  if (values["run-id"] && !values["repository-id"])
    throw new UsageError(`--run-id needs the --repository-id it belongs to\n\n${HELP}`);
}
