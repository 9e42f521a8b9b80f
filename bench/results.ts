import type { Summary } from './stats';

/**
 * What a scenario hands back: rendered as one table in REPORT.md (and kept whole in the JSON),
 * a goal list, and the bars of its chart panel.
 */
export interface ScenarioResult {
  /** The columns of the table after the metric's name, e.g. ['optimized', 'naive']. */
  readonly sides: readonly string[];
  /** What exactly was run: query, data, server settings, durations. Markdown, one paragraph each. */
  readonly definition: readonly string[];
  readonly metrics: readonly Metric[];
  readonly goals: readonly Goal[];
  /** Observations worth a line under the table. */
  readonly notes: readonly string[];
  readonly chart: ChartPanel;
}

/** One row of a scenario table: a value per side (median, min, max of the repetitions). */
export interface Metric {
  readonly label: string;
  readonly unit: string;
  /** By side name; null when a side does not have this metric. */
  readonly values: Readonly<Record<string, Summary | null>>;
  /** The ratio of two sides, computed per repetition pair (see stats.pairedRatios). */
  readonly ratio?: { readonly label: string; readonly value: Summary };
  /** Digits after the point in the report. */
  readonly digits?: number;
}

export interface Goal {
  readonly goal: string;
  readonly measured: string;
  /** null when the measurement cannot decide (e.g. the scenario ran in --quick mode). */
  readonly met: boolean | null;
}

/** Horizontal bars (median with a min–max whisker) and optional reference lines. */
export interface ChartPanel {
  readonly title: string;
  readonly unit: string;
  readonly bars: readonly { readonly label: string; readonly value: Summary }[];
  readonly lines?: readonly { readonly label: string; readonly value: number }[];
  /** Draw the axis on a log scale (when sides differ by orders of magnitude). */
  readonly logScale?: boolean;
}

/** One scenario's entry in the results file. */
export interface ScenarioRecord {
  readonly name: string;
  readonly title: string;
  readonly status: 'ok' | 'failed';
  readonly seconds: number;
  readonly result?: ScenarioResult;
  /** The failure's message (and the tail of a child's log when a server failed). */
  readonly error?: string;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly quick: boolean;
  readonly scale: string;
  readonly database: string;
  /** WEB_CONCURRENCY of the servers, unless a scenario says otherwise. */
  readonly webConcurrency: number;
  readonly machine: MachineInfo;
  readonly scenarios: readonly ScenarioRecord[];
  /** Registered scenarios this run did not select (e.g. with --scenario). */
  readonly notRun: readonly string[];
  /** Every child process started, and how it ended. */
  readonly children: readonly ChildRecord[];
}

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly loadAverageBefore: readonly number[];
  readonly loadAverageAfter: readonly number[];
  readonly node: string;
  readonly mariadb: string;
  /** innodb_buffer_pool_size when the run started (older result files lack it). */
  readonly mariadbBufferPoolMb?: number;
  readonly gitCommit: string;
  readonly gitDirty: boolean;
}

export interface ChildRecord {
  readonly name: string;
  readonly pid: number;
  /** How it ended: it exited after SIGTERM, needed SIGKILL, or exited on its own (a crash). */
  readonly ended: 'SIGTERM' | 'SIGKILL' | 'exited-early' | 'running';
  readonly exitCode: number | null;
  readonly peakRssMb: number | null;
}
