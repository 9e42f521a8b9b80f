import type { BenchContext } from '../context';
import type { ScenarioResult } from '../results';

/**
 * One benchmark scenario. `run` starts whatever it needs (servers, scratch databases), measures
 * every side of each comparison alternately in the same run, stops what it started (also on
 * failure) and returns its table. See README.md ("Adding a scenario").
 */
export interface Scenario {
  /** The --scenario name, kebab-case. */
  readonly name: string;
  /** The report's heading. */
  readonly title: string;
  run(context: BenchContext): Promise<ScenarioResult>;
}
