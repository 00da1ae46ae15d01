/** Cost and tokens by model: the dashboard's "Cost by model" chart and table, and the CLI's by-model table. */
import type { ModelStat } from '../../shared/queries';
import { addMeasures, emptyMeasures, tokenTotal, type Fact, type Measures } from './facts';

export class ModelTotals {
  private readonly byId = new Map<number, Measures>();

  add(fact: Fact): void {
    let m = this.byId.get(fact.modelId);
    if (!m) {
      m = emptyMeasures();
      this.byId.set(fact.modelId, m);
    }
    addMeasures(m, fact);
  }

  /** Most expensive first, then most tokens, then by name; a model with only unpriced calls has no savings (null). */
  stats(modelName: (id: number) => string, savedByModel: ReadonlyMap<number, number>): ModelStat[] {
    return [...this.byId]
      .map(([id, m]): ModelStat => ({
        model: modelName(id),
        costNanos: m.costNanos,
        calls: m.calls,
        unpricedCalls: m.unpricedCalls,
        tokens: { input: m.input, cacheWrite5m: m.cacheWrite5m, cacheWrite1h: m.cacheWrite1h, cacheRead: m.cacheRead, output: m.output },
        cacheSavedNanos: m.unpricedCalls === m.calls ? null : (savedByModel.get(id) ?? 0),
      }))
      .sort((a, b) => b.costNanos - a.costNanos || tokenTotal(toMeasures(b)) - tokenTotal(toMeasures(a)) || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  }
}

function toMeasures(s: ModelStat): Measures {
  return { ...s.tokens, calls: s.calls, unpricedCalls: s.unpricedCalls, costNanos: s.costNanos };
}
