import { formatSummary } from '../format';
import { measureUpserts } from '../memoryLayout';
import type { Metric } from '../results';
import { pairedRatios, summarize } from '../stats';
import type { Scenario } from './scenario';

const FULL_SIZES = [10, 100, 1000];
const QUICK_SIZES = [10];
/** DESIGN.md "Benchmarks" / the issue: one batch of 100 at least 10× faster than 100 single upserts. */
const GOAL_AT_100 = 10;

/**
 * The performance guide's "ChromaDB batch operations": storing N memories as one upsert vs one
 * upsert each, on a Chroma server of the bench's own (the chromadb package's), each run into a
 * fresh collection, the two modes alternating (bench/memoryLayout.ts measureUpserts).
 */
export const chromaBatch: Scenario = {
  name: 'chroma-batch',
  title: 'Chroma: one batch upsert vs one upsert per memory',
  async run(context) {
    const sizes = context.options.quick ? QUICK_SIZES : FULL_SIZES;
    context.log(`  upserting ${sizes.join('/')} memories, single vs batch, ${context.timing.repetitions} repetitions`);
    const samples = await measureUpserts(sizes, context.timing.repetitions);
    const metrics: Metric[] = samples.map(({ items, singleMs, batchMs }) => ({
      label: `${items} memories (512-d vectors)`,
      unit: 'ms',
      values: { 'one batch': summarize(batchMs), 'one per memory': summarize(singleMs) },
      ratio: { label: 'per memory ÷ batch', value: summarize(pairedRatios(singleMs, batchMs)) },
      digits: 0,
    }));
    const at100 = metrics.find((metric) => metric.label.startsWith('100 '))?.ratio?.value;
    return {
      sides: ['one batch', 'one per memory'],
      definition: [
        `Random unit vectors of 512 dimensions (use-lite's), ${sizes.join(', ')} at a time, stored through MemoryStore.upsert into a fresh collection of a Chroma server started for this scenario on 127.0.0.1; ${context.timing.repetitions} repetitions per size, the two modes alternating.`,
      ],
      metrics,
      goals: [
        {
          goal: `one batch of 100 ≥ ${GOAL_AT_100}× faster than 100 single upserts`,
          measured: at100 ? `${formatSummary(at100, 1)}×` : 'not measured (--quick)',
          met: at100 ? at100.median >= GOAL_AT_100 : null,
        },
      ],
      notes: [],
      chart: {
        title: 'Chroma upsert speed-up of one batch over one request per memory',
        unit: '×',
        bars: metrics.map((metric) => ({ label: metric.label, value: metric.ratio!.value })),
        lines: [{ label: `goal ${GOAL_AT_100}×`, value: GOAL_AT_100 }],
      },
    };
  },
};
