import { findUrlHosts } from "./find-hosts.js";
import { type MappedCallBuilder, publish } from "./leash-request.js";
import { addEgress } from "./map-network-command.js";
import type { ShellWord } from "./parse-shell-command.js";

const NPM = ["registry.npmjs.org"];
const YARN = ["registry.yarnpkg.com"];
const PYPI = ["pypi.org", "files.pythonhosted.org"];
const GO = ["proxy.golang.org", "sum.golang.org"];
const CRATES = ["index.crates.io", "static.crates.io"];
const GEMS = ["rubygems.org"];
const MAVEN = ["repo.maven.apache.org"];

interface Manager {
  /** Subcommands that download from the registry ("" = the bare command). */
  fetches: ReadonlySet<string>;
  hosts: string[];
  /** Subcommands that publish a package. */
  publishes: ReadonlySet<string>;
  /** Options that point at another index or registry (their value's host is egress too). */
  indexFlags?: ReadonlySet<string>;
}

const set = (...s: string[]) => new Set(s);
const NPM_FETCH = set(
  "install",
  "i",
  "ci",
  "add",
  "update",
  "up",
  "upgrade",
  "exec",
  "x",
  "dlx",
  "create",
  "dedupe",
  "outdated",
  "view",
  "info",
  "audit",
  "fetch",
  "",
);
const PIP_INDEX = set("-i", "--index-url", "--extra-index-url", "-f", "--find-links");

const MANAGERS: Record<string, Manager> = {
  npm: { fetches: NPM_FETCH, hosts: NPM, publishes: set("publish"), indexFlags: set("--registry") },
  npx: { fetches: set("*"), hosts: NPM, publishes: set() },
  pnpm: {
    fetches: NPM_FETCH,
    hosts: NPM,
    publishes: set("publish"),
    indexFlags: set("--registry"),
  },
  pnpx: { fetches: set("*"), hosts: NPM, publishes: set() },
  yarn: {
    fetches: NPM_FETCH,
    hosts: YARN,
    publishes: set("publish", "npm"),
    indexFlags: set("--registry"),
  },
  bun: {
    fetches: set("install", "i", "add", "update", "x", "create"),
    hosts: NPM,
    publishes: set("publish"),
  },
  bunx: { fetches: set("*"), hosts: NPM, publishes: set() },
  pip: {
    fetches: set("install", "download", "wheel"),
    hosts: PYPI,
    publishes: set(),
    indexFlags: PIP_INDEX,
  },
  pip3: {
    fetches: set("install", "download", "wheel"),
    hosts: PYPI,
    publishes: set(),
    indexFlags: PIP_INDEX,
  },
  pipx: {
    fetches: set("install", "run", "upgrade", "inject"),
    hosts: PYPI,
    publishes: set(),
    indexFlags: PIP_INDEX,
  },
  uv: {
    fetches: set("add", "sync", "lock", "pip", "tool", "run", "venv"),
    hosts: PYPI,
    publishes: set("publish"),
    indexFlags: PIP_INDEX,
  },
  uvx: { fetches: set("*"), hosts: PYPI, publishes: set() },
  poetry: {
    fetches: set("add", "install", "update", "lock"),
    hosts: PYPI,
    publishes: set("publish"),
  },
  twine: { fetches: set(), hosts: PYPI, publishes: set("upload") },
  go: {
    fetches: set("get", "install", "mod", "build", "test", "run", "generate", "list", "vet"),
    hosts: GO,
    publishes: set(),
  },
  cargo: {
    fetches: set(
      "add",
      "install",
      "fetch",
      "update",
      "build",
      "test",
      "run",
      "check",
      "generate-lockfile",
      "b",
      "t",
      "r",
      "c",
    ),
    hosts: CRATES,
    publishes: set("publish"),
  },
  gem: { fetches: set("install", "update", "fetch"), hosts: GEMS, publishes: set("push") },
  bundle: { fetches: set("install", "update", "add", "lock", ""), hosts: GEMS, publishes: set() },
  mvn: { fetches: set("*"), hosts: MAVEN, publishes: set("deploy") },
  mvnw: { fetches: set("*"), hosts: MAVEN, publishes: set("deploy") },
  gradle: { fetches: set("*"), hosts: MAVEN, publishes: set("publish") },
  gradlew: { fetches: set("*"), hosts: MAVEN, publishes: set("publish") },
};

/**
 * Package managers: a download is egress to the registry (and to any URL or index the
 * arguments name); a publish is `artifact.publish` of the workspace package. The lockfile
 * change an install makes is decided when it is pushed, as `dependency.change`.
 * Returns `"local"` when the command also runs local code (tests, builds), true when fully
 * decided here, false when `bin` is not a package manager.
 */
export function mapPackageCommand(
  bin: string,
  args: ShellWord[],
  out: MappedCallBuilder,
): boolean | "local" {
  const manager = MANAGERS[bin.replace(/^\.\//, "")];
  if (!manager) return false;
  const sub = args.find((a) => !a.text.startsWith("-"))?.text ?? "";
  if (
    manager.publishes.has(sub) &&
    (bin !== "yarn" || sub === "publish" || args.some((a) => a.text === "publish"))
  ) {
    out.add(publish(out.ctx.readPackageName() ?? "(workspace package)"));
    return true;
  }
  if (!manager.fetches.has(sub) && !manager.fetches.has("*")) return "local";
  addEgress([...manager.hosts, ...namedHosts(args, manager.indexFlags)], out);
  return manager.fetches.has("*") ||
    ["build", "test", "run", "check", "b", "t", "r", "c", "exec", "x", "dlx"].includes(sub)
    ? "local"
    : true;
}

/** Hosts of URLs among the arguments (git+https://…, tarball URLs) and of index options. */
function namedHosts(args: ShellWord[], indexFlags: ReadonlySet<string> | undefined): string[] {
  const hosts: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const t = (args[i] as ShellWord).text;
    hosts.push(...findUrlHosts(t));
    if (indexFlags?.has(t) && args[i + 1]?.dynamic) hosts.push("unresolved.invalid");
  }
  return hosts;
}
