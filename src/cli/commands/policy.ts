import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_POLICY_DIR, loadPolicySet, runPolicyTests } from "../../policy/index.js";
import { type CliIo, EXIT, showHelp, UsageError } from "../cli-io.js";
import { describeRefusal, postToLeash } from "../http-client.js";
import { adminTarget } from "./revoke.js";

const HELP = `usage: leash policy validate DIR [--json]
       leash policy test [DIR] [--cases PATH]… [--json]
       leash policy reload [--server URL] [--config FILE] [--json]
       leash policy diff [--since 7d] [--config FILE] [--json]

validate  checks every .cedar file in DIR strictly against the schema (@id and @reason required)
test      runs the YAML cases (DIR/tests by default; the shipped pack when no DIR)
reload    asks a running leash to reload its policies (it keeps the last good set on failure)
diff      summarizes where the shadow set disagreed with the active one on real traffic
Exit 0 when valid / every case passes, 1 when not, 2 on usage errors.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      cases: { type: "string", multiple: true, default: [] },
      server: { type: "string" },
      config: { type: "string" },
      since: { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return showHelp(io, HELP);
  const [sub, dirArg] = positionals;
  if (sub === "validate") return validate(dirArg, values.json === true, io);
  if (sub === "test") return test(dirArg, values.cases, values.json === true, io);
  if (sub === "reload") return reload(values.server, values.config, values.json === true, io);
  if (sub === "diff") {
    const { diffShadow } = await import("./policy-diff.js");
    return diffShadow(
      { config: values.config, since: values.since, json: values.json === true },
      io,
    );
  }
  throw new UsageError(HELP);
}

function validate(dir: string | undefined, json: boolean, io: CliIo): number {
  if (!dir) throw new UsageError("leash policy validate DIR");
  const set = loadPolicySet({ dirs: [resolve(io.cwd, dir)] });
  io.out(
    json
      ? `${JSON.stringify({ valid: true, policies: set.policies.length, policy_set_digest: set.digest })}\n`
      : `valid: ${set.policies.length} policies (${set.digest})\n`,
  );
  return EXIT.ok;
}

function test(dir: string | undefined, cases: string[], json: boolean, io: CliIo): number {
  const policyDir = dir ? resolve(io.cwd, dir) : DEFAULT_POLICY_DIR;
  const casesPaths =
    cases.length > 0 ? cases.map((c) => resolve(io.cwd, c)) : [join(policyDir, "tests")];
  if (!casesPaths.every(existsSync))
    throw new UsageError(`no test cases at ${casesPaths.join(", ")}; pass --cases PATH`);
  const report = runPolicyTests({ policyDirs: [policyDir], casesPaths });
  if (json) io.out(`${JSON.stringify(report)}\n`);
  else {
    for (const r of report.results)
      if (!r.passed) io.out(`FAIL ${r.file}: ${r.name}: ${r.failure}\n`);
    io.out(`${report.passed} passed, ${report.failed} failed\n`);
  }
  return report.failed === 0 ? EXIT.ok : EXIT.denied;
}

async function reload(
  server: string | undefined,
  config: string | undefined,
  json: boolean,
  io: CliIo,
): Promise<number> {
  const target = adminTarget(server, config, io);
  const answer = await postToLeash(target.server, "v1/policy/reload", {
    bearer: target.adminToken,
  });
  if (json) io.out(`${JSON.stringify(answer.body)}\n`);
  if (answer.status !== 200) {
    io.err(`leash: ${describeRefusal(answer)}\n`);
    return answer.status >= 500 ? EXIT.internal : EXIT.denied;
  }
  if (!json) io.out(`reloaded: ${answer.body["policy_set_digest"]}\n`);
  return EXIT.ok;
}
