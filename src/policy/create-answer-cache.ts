import { hash } from "node:crypto";
import type { statefulIsAuthorized } from "./cedar.js";

type CedarAnswer = ReturnType<typeof statefulIsAuthorized>;
type Success = Extract<CedarAnswer, { type: "success" }>;

/** Distinct policy ids a cache keeps one copy of: far more than any policy set has. */
const MAX_INTERNED = 10_000;

/**
 * Cedar's answers by their exact input. Evaluation is a pure function of the request (the
 * clock only reaches it through evidence selected before, e.g. unexpired approvals), and the
 * requests an agent sends repeat: the trimmed Cedar request of `code.write` on its branch is
 * the same whichever ordinary files it touches. Bounded, first in first out; one per engine,
 * so a reloaded policy set starts empty. Only clean successful answers (no errors) are kept.
 *
 * An entry outlives several young-generation GCs, so it is kept small: the key is the
 * SHA-256 of the request's JSON, not the ~1 KB JSON itself, and the answer keeps only the
 * decision and the policy ids, one shared copy of each id. Kept whole, entries were most of
 * what every GC had to copy (≈ 3 KB a decision, ~1 ms of each pause under load).
 */
export function createAnswerCache(maxEntries: number) {
  const answers = new Map<string, Success>();
  const ids = new Map<string, string>();
  const intern = (id: string) => {
    const known = ids.get(id);
    if (known !== undefined) return known;
    if (ids.size < MAX_INTERNED) ids.set(id, id);
    return id;
  };
  return {
    get(setId: string, request: unknown, evaluate: () => CedarAnswer): CedarAnswer {
      if (maxEntries === 0) return evaluate();
      const key = hash("sha256", `${setId}\n${JSON.stringify(request)}`, "base64");
      const hit = answers.get(key);
      if (hit) return hit;
      const answer = evaluate();
      if (answer.type === "success" && answer.response.diagnostics.errors.length === 0) {
        if (answers.size >= maxEntries) answers.delete(answers.keys().next().value as string);
        answers.set(key, {
          type: "success",
          response: {
            decision: answer.response.decision,
            diagnostics: { reason: answer.response.diagnostics.reason.map(intern), errors: [] },
          },
          warnings: [],
        });
      }
      return answer;
    },
  };
}
