/** What every benchmark case reports: one row of the table `npm run bench` prints. */
export interface BenchRow {
  /** The table section: "pass-through", "simulator memory", "history", "HAR", "capture", "assets". */
  group: string;
  /** What was measured, e.g. "p50 latency, 50 connections: pass-through / direct". */
  name: string;
  /** The figure itself (a ratio, bytes, ms …). */
  value: number;
  unit: 'ratio' | 'ms' | 'MB' | 'KB' | 'bytes' | 'req/s' | 'count' | '%';
  /** The goal in words, e.g. "≤ 1.15×"; omitted when there is none. */
  goal?: string;
  /** Whether the goal was met; omitted when there is no goal. */
  met?: boolean;
  /**
   * Deterministic budgets (bytes, heap bounds, counts) fail the run when not met; noisy ratios
   * (latency, throughput) are reported, never gated.
   */
  gated?: boolean;
  /** Anything a reader needs: the baseline figure, sample count. */
  note?: string;
}

export interface BenchOptions {
  /** CI's short version: fewer iterations, the same budgets. */
  short: boolean;
}

/** A benchmark module: bench/<name>.bench.ts exports `run`. */
export type BenchCase = (options: BenchOptions) => Promise<BenchRow[]>;
