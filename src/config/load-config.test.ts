import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { hasCode, type LeashError } from "../errors/index.js";
import { loadConfig } from "./load-config.js";

const dir = mkdtempSync(join(tmpdir(), "leash-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const ISSUER = `issuers:
  - name: github
    url: https://token.actions.githubusercontent.com
    provider: github
    audience: leash
`;

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const GITLAB_ISSUER = `issuers:
  - name: gitlab
    url: https://gitlab.example.com
    provider: gitlab
    audience: leash
`;

function gitlabRule(extra: string): string {
  return `${GITLAB_ISSUER}trust:
  - name: r
    issuer: gitlab
${extra}`;
}

function rule(extra: string): string {
  return `${ISSUER}trust:
  - name: r
    issuer: github
${extra}`;
}

test("a valid config compiles: paths resolve against the config's folder, patterns compile", () => {
  const path = write(
    "ok.yaml",
    rule(`    claims:
      repository_id: "74"
      ref: { glob: "refs/heads/agent/*" }
      job_workflow_ref: { regex: "acme/app/\\\\.github/workflows/agent\\\\.yml@refs/heads/main" }
    zone: editing
    actions: [repo.read, code.write]
    ttl: 10m
`),
  );
  const config = loadConfig(path);
  assert.deepEqual(config.store, { kind: "sqlite", path: join(dir, ".leash/leash.db") });
  assert.equal(config.stateDir, join(dir, ".leash"));
  const r = config.trust[0];
  assert.equal(r?.ttlSeconds, 600);
  assert.equal(r?.claims.length, 3);
  assert.equal(config.server.publicUrl, "http://127.0.0.1:8700");
});

const refusals: { name: string; text: string; path: string }[] = [
  { name: "an unknown key", text: `${ISSUER}bogus: 1\n`, path: "(top level)" },
  {
    name: "an unknown key in a rule",
    text: rule(
      "    claims: {}\n    zone: planning\n    actions: [repo.read]\n    ttl: 5m\n    colour: red\n",
    ),
    path: "trust[0]",
  },
  {
    name: "a GitHub default audience",
    text: ISSUER.replace("audience: leash", "audience: https://github.com/acme"),
    path: "issuers[0].audience",
  },
  {
    name: "a write rule pinning no repository or owner id",
    text: rule(
      "    claims: { repository: acme/app }\n    zone: editing\n    actions: [code.write]\n    ttl: 5m\n",
    ),
    path: "trust[0].claims",
  },
  {
    name: "an owner-id wildcard in a subject pattern",
    text: rule(
      '    claims: { repository_id: "74", sub: { glob: "repo:acme@*/app@74:*" } }\n    zone: editing\n    actions: [code.write]\n    ttl: 5m\n',
    ),
    path: "trust[0].claims.sub",
  },
  {
    name: "a write TTL over 15 minutes",
    text: rule(
      '    claims: { repository_id: "74" }\n    zone: editing\n    actions: [code.write]\n    ttl: 16m\n',
    ),
    path: "trust[0].ttl",
  },
  ...["test.attest", "scan.attest"].flatMap((action) => [
    {
      name: `a ${action} TTL over 15 minutes`,
      text: rule(
        `    claims: { repository_id: "74" }\n    zone: validation\n    actions: [repo.read, ${action}]\n    ttl: 1h\n`,
      ),
      path: "trust[0].ttl",
    },
    {
      name: `a ${action} rule pinning no repository or owner id`,
      text: rule(
        `    claims: { repository: acme/app }\n    zone: validation\n    actions: [repo.read, ${action}]\n    ttl: 10m\n`,
      ),
      path: "trust[0].claims",
    },
  ]),
  {
    name: "a change.attest rule pinning no repository or owner id",
    text: rule(
      "    claims: { repository: acme/app }\n    zone: editing\n    actions: [change.attest]\n    ttl: 10m\n",
    ),
    path: "trust[0].claims",
  },
  {
    // Project paths are reused after a rename or deletion; ids are not.
    name: "a GitLab write rule matching on project_path alone",
    text: gitlabRule(
      '    claims: { project_path: acme/app, ref: { glob: "agent/*" } }\n    zone: editing\n    actions: [repo.read, code.write]\n    ttl: 10m\n',
    ),
    path: "trust[0].claims",
  },
  {
    name: "a GitLab test.attest rule matching on project_path alone",
    text: gitlabRule(
      "    claims: { project_path: acme/app }\n    zone: validation\n    actions: [repo.read, test.attest]\n    ttl: 10m\n",
    ),
    path: "trust[0].claims",
  },
  {
    name: "a GitLab write rule whose project_id is a pattern, not an exact id",
    text: gitlabRule(
      '    claims: { project_id: { glob: "*" } }\n    zone: editing\n    actions: [code.write]\n    ttl: 10m\n',
    ),
    path: "trust[0].claims",
  },
  {
    // It would match any repository in the world that asks for this audience.
    name: "a GitHub rule with empty claims",
    text: rule("    claims: {}\n    zone: planning\n    actions: [repo.read]\n    ttl: 5m\n"),
    path: "trust[0].claims",
  },
  {
    name: "a GitLab rule with empty claims",
    text: gitlabRule("    claims: {}\n    zone: planning\n    actions: [repo.read]\n    ttl: 5m\n"),
    path: "trust[0].claims",
  },
  {
    name: "a generic-issuer rule with empty claims",
    text: `issuers:\n  - { name: ci, url: https://ci.example.com, provider: generic, audience: leash }\ntrust:\n  - name: r\n    issuer: ci\n    claims: {}\n    zone: planning\n    actions: [repo.read]\n    ttl: 5m\n`,
    path: "trust[0].claims",
  },
  {
    name: "an action unknown to its zone",
    text: rule(
      '    claims: { repository_id: "74" }\n    zone: planning\n    actions: [repo.read, deploy]\n    ttl: 5m\n',
    ),
    path: "trust[0].actions[1]",
  },
  {
    name: "an unknown zone",
    text: rule("    claims: {}\n    zone: production\n    actions: [repo.read]\n    ttl: 5m\n"),
    path: "trust[0].zone",
  },
  {
    name: "a claim that is both literal and pattern",
    text: rule(
      '    claims: { ref: { glob: "a", regex: "b" } }\n    zone: planning\n    actions: [repo.read]\n    ttl: 5m\n',
    ),
    path: "trust[0].claims.ref",
  },
  {
    // Wrapped in the anchoring group, it would compile to ^(?:…)|(.*)$ and match any ref.
    name: "a regex that escapes its anchors with an unbalanced parenthesis",
    text: rule(
      '    claims: { repository_id: "74", ref: { regex: "refs/heads/agent/[a-z]+)|(.*" } }\n    zone: planning\n    actions: [repo.read]\n    ttl: 5m\n',
    ),
    path: "trust[0].claims.ref",
  },
  {
    name: "a rule naming an unknown issuer",
    text: `${ISSUER}trust:\n  - name: r\n    issuer: gitlab\n    claims: { namespace_id: "65" }\n    zone: planning\n    actions: [repo.read]\n    ttl: 5m\n`,
    path: "trust[0].issuer",
  },
  {
    name: "an http issuer without allow_insecure_loopback",
    text: ISSUER.replace("https://token.actions.githubusercontent.com", "http://127.0.0.1:9999"),
    path: "issuers[0].url",
  },
  {
    name: "a malformed duration",
    text: rule(
      '    claims: { repository_owner_id: "65" }\n    zone: planning\n    actions: [repo.read]\n    ttl: soon\n',
    ),
    path: "trust[0].ttl",
  },
  { name: "no issuers", text: "trust: []\n", path: "issuers" },
  { name: "zero workers", text: `server: { workers: 0 }\n${ISSUER}`, path: "server.workers" },
  {
    name: "a worker count in words",
    text: `server: { workers: many }\n${ISSUER}`,
    path: "server.workers",
  },
  {
    name: "a PostgreSQL pool of no connections",
    text: `store: { url: "postgres://leash@db/leash", pool_size: 0 }\n${ISSUER}`,
    path: "store.pool_size",
  },
  {
    name: "a pool size for the embedded SQLite store",
    text: `store: { url: "sqlite:leash.db", pool_size: 5 }\n${ISSUER}`,
    path: "store.pool_size",
  },
  {
    name: "a malformed secret lease duration",
    text: `${ISSUER}secrets:\n  - { name: NPM_TOKEN, zones: [publishing], repository_ids: ["74"], max_lease: soon }\n`,
    path: "secrets[0].max_lease",
  },
];

for (const c of refusals) {
  test(`config load refuses ${c.name}, naming ${c.path}`, () => {
    const path = write("bad.yaml", c.text);
    assert.throws(
      () => loadConfig(path),
      (err: LeashError) => {
        assert.ok(hasCode(err, "ERR_CONFIG_INVALID"), `code ${err.code}`);
        const problems = err.detail?.["problems"] as { path: string }[];
        assert.ok(
          problems.some((p) => p.path === c.path),
          JSON.stringify(problems),
        );
        return true;
      },
    );
  });
}

test("server.workers: 1 by default, a number, or auto for one per core", () => {
  assert.equal(loadConfig(write("w1.yaml", ISSUER)).server.workers, 1);
  assert.equal(loadConfig(write("w3.yaml", `server: { workers: 3 }\n${ISSUER}`)).server.workers, 3);
  const auto = loadConfig(write("wa.yaml", `server: { workers: auto }\n${ISSUER}`)).server.workers;
  assert.equal(auto, availableParallelism());
});

test("store.pool_size sizes the PostgreSQL pool of each process; absent, the store's default", () => {
  const url = "postgres://leash@db.internal:5432/leash";
  const sized = loadConfig(write("p.yaml", `store: { url: "${url}", pool_size: 25 }\n${ISSUER}`));
  assert.deepEqual(sized.store, { kind: "postgres", url, poolSize: 25 });
  const plain = loadConfig(write("p0.yaml", `store: { url: "${url}" }\n${ISSUER}`));
  assert.deepEqual(plain.store, { kind: "postgres", url });
});

test("a GitLab rule that writes or vouches loads when it pins project_id or namespace_id", () => {
  for (const pin of ['project_id: "74"', 'namespace_id: "65"']) {
    for (const [zone, actions] of [
      ["editing", "[repo.read, code.write]"],
      ["validation", "[repo.read, test.attest]"],
    ]) {
      const path = write(
        "gl.yaml",
        gitlabRule(
          `    claims: { ${pin}, project_path: acme/app }\n    zone: ${zone}\n    actions: ${actions}\n    ttl: 10m\n`,
        ),
      );
      assert.equal(loadConfig(path).trust.length, 1, `${pin} ${zone}`);
    }
  }
});

test("the shipped examples/leash.yaml loads", () => {
  const config = loadConfig(new URL("../../../examples/leash.yaml", import.meta.url).pathname);
  assert.ok(config.trust.length > 0);
});

test("policy.production_environments and production_stacks: [production] and none by default", () => {
  const plain = loadConfig(write("prod0.yaml", ISSUER)).policy;
  assert.deepEqual([plain.productionEnvironments, plain.productionStacks], [["production"], []]);
  const text = `policy: { production_environments: [prod, live], production_stacks: ["prod-*"] }\n`;
  const set = loadConfig(write("prod1.yaml", `${text}${ISSUER}`)).policy;
  assert.deepEqual(
    [set.productionEnvironments, set.productionStacks],
    [["prod", "live"], ["prod-*"]],
  );
});

test("a missing file is ERR_CONFIG_NOT_FOUND", () => {
  assert.throws(
    () => loadConfig(join(dir, "nope.yaml")),
    (err: LeashError) => hasCode(err, "ERR_CONFIG_NOT_FOUND"),
  );
});
