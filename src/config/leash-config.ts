import type { IssuerConfig } from "../identity/index.js";
import type { TrustRule } from "../trust/index.js";

/** Where decisions and keys live: the embedded SQLite file, or a PostgreSQL URL. */
export type StoreLocation =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string; poolSize?: number };

export interface PolicyConfig {
  mode: "enforce" | "observe";
  observeActions: string[];
  /** Absolute directories of .cedar files; undefined = the shipped default pack. */
  dirs: string[] | undefined;
  shadowDirs: string[] | undefined;
  ownedBranches: string[];
  protectedBranches: string[];
  /** Environment names that are production (compared case-insensitively). */
  productionEnvironments: string[];
  /** Stack id globs that are production whatever their environment. */
  productionStacks: string[];
}

/** A repository served through the git push gateway. */
export interface RepositoryConfig {
  name: string;
  id: string;
  upstream: string;
  /** Name of the brokered secret leash pushes upstream with; the agent never sees it. */
  credential: string | undefined;
}

/** Which zones and repositories may lease a brokered secret, and for how long. */
export interface SecretGrant {
  name: string;
  zones: string[];
  repositoryIds: string[];
  environments: string[] | undefined;
  maxLeaseSeconds: number;
}

/** Pinned trust material for keyless verification: absolute paths, read once at startup. */
export interface ProvenanceConfig {
  trustedRoots: string[];
  npmRegistryKeys: string | undefined;
}

/** What one namespace admits: images with verified provenance from these repositories. */
export interface KubernetesNamespace {
  environment: string;
  repositoryIds: string[];
}

/** The admission webhook: namespaces not listed here are denied. */
export interface KubernetesConfig {
  webhookToken: string | undefined;
  namespaces: ReadonlyMap<string, KubernetesNamespace>;
}

/** leash.yaml, validated and compiled: every path absolute, every pattern compiled. */
export interface LeashConfig {
  file: string;
  /** The folder holding state (SQLite file, generated keys, admin token), absolute. */
  stateDir: string;
  server: {
    host: string;
    port: number;
    publicUrl: string;
    instanceId: string;
    /** Processes `leash serve` runs (`auto`: one per CPU core); 1 = no primary, no fork. */
    workers: number;
  };
  store: StoreLocation;
  issuers: IssuerConfig[];
  trust: TrustRule[];
  policy: PolicyConfig;
  repositories: RepositoryConfig[];
  secrets: SecretGrant[];
  network: { allowHosts: string[] };
  exec: { allowEnv: string[] };
  /** GET /metrics; `requireAdmin` puts it behind the admin token. */
  metrics: { requireAdmin: boolean };
  provenance: ProvenanceConfig;
  /** Absent: no admission webhook is served. */
  kubernetes: KubernetesConfig | undefined;
}
