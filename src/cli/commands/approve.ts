import { parseArgs } from "node:util";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { describeRefusal, postToLeash } from "../http-client.js";
import { adminTarget } from "./revoke.js";

const HELP = `usage: leash approve ACTION --resource TYPE:ID --repository-id ID --approver NAME
                     (--digest sha256:HEX | --sha SHA) [--env ENV] [--expires 1h]
                     [--server URL] [--config FILE] [--json]

Records a person's approval of one action on one resource, for one digest (deploys: always
a digest) or one commit (the commit under decision, e.g. the commit a push brings), until it
expires (default 1h, at most 7d). It becomes evidence the policy reads, e.g.
  leash approve deploy --resource Environment:production --env production \\
    --repository-id 74 --digest sha256:… --approver alice
Needs the admin token (LEASH_ADMIN_TOKEN, or --config of the server); never a capability.
Prints the approval id.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      resource: { type: "string" },
      "repository-id": { type: "string" },
      env: { type: "string" },
      digest: { type: "string" },
      sha: { type: "string" },
      approver: { type: "string" },
      expires: { type: "string", default: "1h" },
      server: { type: "string" },
      config: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  const action = positionals[0];
  const colon = values.resource?.indexOf(":") ?? -1;
  if (!action || !values.resource || colon <= 0 || !values["repository-id"] || !values.approver) {
    throw new UsageError(
      `ACTION, --resource TYPE:ID, --repository-id and --approver are required\n\n${HELP}`,
    );
  }
  if (!values.digest && !values.sha)
    throw new UsageError("name what is approved: --digest or --sha");
  const body = {
    action,
    resource: { type: values.resource.slice(0, colon), id: values.resource.slice(colon + 1) },
    repository_id: values["repository-id"],
    approver: values.approver,
    expires_in: values.expires,
    ...(values.env ? { environment: values.env } : {}),
    ...(values.digest ? { digest: values.digest } : {}),
    ...(values.sha ? { sha: values.sha } : {}),
  };
  const { server, adminToken } = adminTarget(values.server, values.config, io);
  const answer = await postToLeash(server, "v1/approvals", { json: body, bearer: adminToken });
  if (values.json) io.out(`${JSON.stringify(answer.body)}\n`);
  if (answer.status !== 201) {
    io.err(`leash: ${describeRefusal(answer)}\n`);
    return answer.status >= 500 ? EXIT.internal : answer.status === 400 ? EXIT.usage : EXIT.denied;
  }
  if (!values.json) io.out(`${answer.body["id"]}\n`);
  io.err(`leash: approved ${action} on ${values.resource} until ${answer.body["expires_at"]}\n`);
  return EXIT.ok;
}
