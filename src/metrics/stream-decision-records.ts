import type { DecisionRecord } from "../audit/index.js";
import type { Store } from "../store/index.js";

const PAGE = 5000;

/**
 * Every decision record since `sinceMs` (until `untilMs`), chain by chain, a page at a time:
 * a window of any length streams through in bounded memory.
 */
export async function* streamDecisionRecords(
  store: Store,
  window: { sinceMs: number; untilMs: number },
): AsyncGenerator<DecisionRecord> {
  for (const chain of await store.listChains()) {
    let afterSeq: number | undefined;
    for (;;) {
      const rows = await store.queryDecisions({
        chain,
        sinceMs: window.sinceMs,
        untilMs: window.untilMs,
        limit: PAGE,
        ...(afterSeq === undefined ? {} : { afterSeq }),
      });
      for (const row of rows) yield JSON.parse(row.body) as DecisionRecord;
      if (rows.length < PAGE) break;
      afterSeq = rows.at(-1)?.seq;
    }
  }
}
