import type { statefulIsAuthorized } from "./cedar.js";

type CedarAnswer = ReturnType<typeof statefulIsAuthorized>;

/**
 * Cedar's answers by their exact input. Evaluation is a pure function of the request (the
 * clock only reaches it through evidence selected before, e.g. unexpired approvals), and the
 * requests an agent sends repeat: the trimmed Cedar request of `code.write` on its branch is
 * the same whichever ordinary files it touches. Bounded, first in first out; one per engine,
 * so a reloaded policy set starts empty. Only successful answers are kept.
 */
export function createAnswerCache(maxEntries: number) {
  const answers = new Map<string, CedarAnswer>();
  return {
    get(setId: string, request: unknown, evaluate: () => CedarAnswer): CedarAnswer {
      if (maxEntries === 0) return evaluate();
      const key = `${setId}\n${JSON.stringify(request)}`;
      const hit = answers.get(key);
      if (hit) return hit;
      const answer = evaluate();
      if (answer.type === "success") {
        if (answers.size >= maxEntries) answers.delete(answers.keys().next().value as string);
        answers.set(key, answer);
      }
      return answer;
    },
  };
}
