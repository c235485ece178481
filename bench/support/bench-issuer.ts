import { startTestIssuer, type TestIssuer } from "../../test/support/oidc-issuer.js";

/** A real local OIDC issuer and `count` distinct signed GitHub tokens (each exchanged once). */
export async function startBenchIssuer(
  count: number,
): Promise<{ issuer: TestIssuer; tokens: string[] }> {
  const issuer = await startTestIssuer({ algorithm: "RS256" });
  return { issuer, tokens: await mintTokens(issuer, 0, count) };
}

/** `count` more tokens of `issuer`, numbered from `from` (each jti is used once). */
export async function mintTokens(
  issuer: TestIssuer,
  from: number,
  count: number,
): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = from; i < from + count; i++)
    tokens.push(
      await issuer.sign(
        issuer.githubClaims({ jti: `bench-${i}`, run_id: String(1000 + (i % 500)) }),
      ),
    );
  return tokens;
}

/** A bench config: SQLite in the server's temp dir, the issuer, one editing rule. */
export function benchConfigYaml(issuerUrl: string, extra = ""): string {
  return `server: { host: 127.0.0.1, port: 0 }
store: { url: "sqlite:state/leash.db" }
state_dir: state
issuers:
  - { name: ci, url: "${issuerUrl}", provider: github, audience: leash, allow_insecure_loopback: true }
trust:
  - name: editing
    issuer: ci
    claims: { repository_id: "74", repository_owner_id: "65", ref: { glob: "refs/heads/agent/*" } }
    zone: editing
    actions: [repo.read, code.write]
    ttl: 10m
${extra}`;
}
