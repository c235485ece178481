/** The parts of a capability's claims the hook maps with. */
export interface CapabilityClaims {
  ref: string | undefined;
  repository: string | undefined;
}

/**
 * Reads the job's ref and repository from a capability JWT's payload, without verifying it:
 * the hook only uses them to name what a call writes; leash verifies the capability with
 * every decision. Never throws; unreadable claims come back undefined.
 */
export function readCapabilityClaims(token: string): CapabilityClaims {
  const payload = token.split(".")[1];
  if (!payload) return { ref: undefined, repository: undefined };
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      job?: { ref?: unknown; repository?: unknown };
    };
    const job = claims.job ?? {};
    return {
      ref: typeof job.ref === "string" && job.ref !== "" ? job.ref : undefined,
      repository: typeof job.repository === "string" ? job.repository : undefined,
    };
  } catch {
    return { ref: undefined, repository: undefined };
  }
}
