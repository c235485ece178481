import type { DecisionRecord } from "../audit/index.js";

/** A capability as its exchange record describes it. */
export interface IssuedCapability {
  id: string;
  rule: string;
  zone: string;
  actions: string[];
  ttlSeconds: number;
  repositoryId: string | undefined;
  runId: string | undefined;
  subject: string | undefined;
  issuedMs: number;
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** Reads the capability an allowed exchange record issued; undefined for any other record. */
export function toIssuedCapability(record: DecisionRecord): IssuedCapability | undefined {
  if (record.type !== "exchange" || record.result !== "allow") return undefined;
  const d = record.detail ?? {};
  const id = str(d["capability_id"]);
  const ttl = d["ttl_seconds"];
  if (!id || typeof ttl !== "number") return undefined;
  const p = record.principal ?? {};
  return {
    id,
    rule: str(d["rule"]) ?? "(unknown)",
    zone: str(d["zone"]) ?? "(unknown)",
    actions: Array.isArray(d["actions"]) ? d["actions"].filter((a) => typeof a === "string") : [],
    ttlSeconds: ttl,
    repositoryId: str(p["repository_id"]),
    runId: str(p["run_id"]),
    subject: str(p["subject"]),
    issuedMs: Date.parse(record.timestamp),
  };
}
