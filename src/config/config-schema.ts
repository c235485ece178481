import { z } from "zod";
import { ZONES } from "../zones/index.js";

/**
 * The leash.yaml schema, snake_case as written. Every object is strict: an unknown key is
 * an error (a typo in a security config must not silently mean "no constraint").
 */
const duration = z.union([z.string(), z.number()]);

const claimValue = z.union([
  z.string(),
  z.strictObject({ glob: z.string().min(1) }),
  z.strictObject({ regex: z.string().min(1) }),
]);

const issuer = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "use lowercase letters, digits, - and _"),
  url: z.string().url(),
  provider: z.enum(["github", "gitlab", "generic"]),
  audience: z.string().min(1),
  jwks_uri: z.string().url().optional(),
  allow_insecure_loopback: z.boolean().default(false),
  algorithms: z
    .array(z.enum(["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]))
    .min(1)
    .optional(),
});

const trustRule = z.strictObject({
  name: z.string().min(1),
  issuer: z.string().min(1),
  claims: z.record(z.string().min(1), claimValue),
  zone: z.enum(ZONES),
  actions: z.array(z.string()).min(1),
  ttl: duration,
  allow_events: z.array(z.string()).default([]),
  allow_self_hosted: z.boolean().default(false),
  proof: z.enum(["bearer", "dpop"]).default("bearer"),
});

const policy = z.strictObject({
  mode: z.enum(["enforce", "observe"]).default("enforce"),
  observe_actions: z.array(z.string()).default([]),
  dirs: z.array(z.string()).optional(),
  shadow_dirs: z.array(z.string()).optional(),
  owned_branches: z.array(z.string()).default(["refs/heads/agent/*"]),
  protected_branches: z
    .array(z.string())
    .default(["refs/heads/main", "refs/heads/master", "refs/heads/release/**"]),
  production_environments: z.array(z.string().min(1)).default(["production"]),
  production_stacks: z.array(z.string().min(1)).default([]),
});

const repository = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "write owner/name"),
  id: z.string().regex(/^\d+$/, "the numeric repository id, as a string"),
  upstream: z.string().url(),
  credential: z.string().min(1).optional(),
});

const secretGrant = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/),
  zones: z.array(z.enum(ZONES)).min(1),
  repository_ids: z.array(z.string().regex(/^\d+$/)).min(1),
  environments: z.array(z.string()).optional(),
  max_lease: duration.default("5m"),
});

const network = z.strictObject({
  allow_hosts: z
    .array(z.string().min(1))
    .default([
      "registry.npmjs.org",
      "registry.yarnpkg.com",
      "pypi.org",
      "files.pythonhosted.org",
      "proxy.golang.org",
      "sum.golang.org",
      "index.crates.io",
      "static.crates.io",
      "rubygems.org",
      "repo.maven.apache.org",
    ]),
});

/** Trust material for keyless verification; default: the roots pinned in the package's trust/. */
const provenance = z.strictObject({
  trusted_roots: z.array(z.string().min(1)).min(1).optional(),
  npm_registry_keys: z.string().min(1).optional(),
});

const repositoryIds = z.array(z.string().regex(/^\d+$/, "a numeric repository id, as a string"));

/** A namespace admits images whose provenance comes from these repositories, for this environment. */
const kubernetesNamespace = z.union([
  z.string().min(1),
  z.strictObject({ environment: z.string().min(1), repository_ids: repositoryIds.min(1) }),
]);

const kubernetes = z.strictObject({
  webhook_token: z.string().min(16, "use at least 16 characters").optional(),
  repository_ids: repositoryIds.default([]),
  namespaces: z.record(
    z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "a Kubernetes namespace name"),
    kubernetesNamespace,
  ),
});

export const configSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().default("127.0.0.1"),
      port: z.number().int().min(0).max(65535).default(8700),
      public_url: z.string().url().optional(),
      instance_id: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,64}$/)
        .optional(),
      workers: z.union([z.number().int().min(1).max(64), z.literal("auto")]).default(1),
    })
    .default({ host: "127.0.0.1", port: 8700, workers: 1 }),
  store: z
    .strictObject({
      url: z.string().min(1),
      // PostgreSQL connections per leash process (each worker of --workers has its own pool).
      pool_size: z.number().int().min(1).max(1000).optional(),
    })
    .default({ url: "sqlite:.leash/leash.db" }),
  state_dir: z.string().default(".leash"),
  issuers: z.array(issuer).min(1),
  trust: z.array(trustRule).default([]),
  policy: policy.default({
    mode: "enforce",
    observe_actions: [],
    owned_branches: ["refs/heads/agent/*"],
    protected_branches: ["refs/heads/main", "refs/heads/master", "refs/heads/release/**"],
    production_environments: ["production"],
    production_stacks: [],
  }),
  repositories: z.array(repository).default([]),
  secrets: z.array(secretGrant).default([]),
  network: network.prefault({}),
  /** Environment variable names `leash exec` may pass through although they look like credentials. */
  exec: z.strictObject({ allow_env: z.array(z.string()).default([]) }).default({ allow_env: [] }),
  provenance: provenance.prefault({}),
  /** GET /metrics: open by default (Prometheus scrapes it); `require_admin` puts it behind the admin token. */
  metrics: z.strictObject({ require_admin: z.boolean().default(false) }).prefault({}),
  kubernetes: kubernetes.optional(),
});

export type RawConfig = z.infer<typeof configSchema>;
export type RawTrustRule = z.infer<typeof trustRule>;
export type RawIssuer = z.infer<typeof issuer>;
