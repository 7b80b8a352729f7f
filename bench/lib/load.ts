/**
 * Load drivers and statistics. Every latency sample is kept (no histogram buckets), so percentiles
 * are exact (nearest rank) and the sample size is always known.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LatencyStats {
  /** samples (successful operations) */
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function latencyStats(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

export interface RunResult {
  /** operations attempted */
  attempted: number;
  /** operations that succeeded */
  ok: number;
  errors: number;
  /** the first few error messages, for the report */
  errorSamples: string[];
  /** latency of each successful operation, in ms */
  latencies: number[];
  /** wall time of the measured phase, in ms */
  elapsedMs: number;
  /** true when the phase stopped at its time limit before `total` operations */
  stoppedByTimeLimit: boolean;
}

export const throughputPerSec = (r: Pick<RunResult, 'ok' | 'elapsedMs'>) => (r.elapsedMs > 0 ? (r.ok / r.elapsedMs) * 1000 : 0);

function noteError(result: RunResult, err: unknown) {
  result.errors++;
  if (result.errorSamples.length < 5) result.errorSamples.push(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
}

/**
 * Closed loop at a fixed concurrency: `concurrency` virtual users each run the next operation as
 * soon as their previous one finished, until `total` operations were started or `maxMs` passed.
 * `op(i, user)` throws on failure; its latency counts only when it succeeds.
 */
export async function closedLoop(opts: { concurrency: number; total: number; maxMs: number; op: (i: number, user: number) => Promise<void> }): Promise<RunResult> {
  const result: RunResult = { attempted: 0, ok: 0, errors: 0, errorSamples: [], latencies: [], elapsedMs: 0, stoppedByTimeLimit: false };
  const start = performance.now();
  const deadline = start + opts.maxMs;
  let next = 0;
  const user = async (u: number) => {
    while (next < opts.total) {
      if (performance.now() >= deadline) {
        result.stoppedByTimeLimit = true;
        return;
      }
      const i = next++;
      result.attempted++;
      const t0 = performance.now();
      try {
        await opts.op(i, u);
        result.latencies.push(performance.now() - t0);
        result.ok++;
      } catch (err) {
        noteError(result, err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, (_, u) => user(u)));
  result.elapsedMs = performance.now() - start;
  return result;
}

export interface RateResult extends RunResult {
  /** latency measured from the send itself (service time), in ms; `latencies` counts from the intended send time */
  serviceLatencies: number[];
  /** sends skipped because `maxInFlight` requests were already outstanding */
  skipped: number;
  /** what was asked for, per second */
  targetRate: number;
  /** requests actually sent per second (from the first send to the last) */
  sendRate: number;
}

/**
 * Open loop at a fixed rate: operation i is due at start + i / rate, whatever the earlier ones are
 * doing (no coordinated omission: `latencies` count from the intended send time). Stops after
 * `total` sends or `maxMs`; at most `maxInFlight` outstanding, further sends are skipped and counted.
 */
export async function fixedRate(opts: { ratePerSec: number; total: number; maxMs: number; maxInFlight: number; op: (i: number) => Promise<void> }): Promise<RateResult> {
  const result: RateResult = { attempted: 0, ok: 0, errors: 0, errorSamples: [], latencies: [], serviceLatencies: [], elapsedMs: 0, stoppedByTimeLimit: false, skipped: 0, targetRate: opts.ratePerSec, sendRate: 0 };
  const interval = 1000 / opts.ratePerSec;
  const start = performance.now();
  const deadline = start + opts.maxMs;
  const inFlight = new Set<Promise<void>>();
  let lastSend = start;
  for (let i = 0; i < opts.total; i++) {
    const due = start + i * interval;
    if (due >= deadline) {
      result.stoppedByTimeLimit = true;
      break;
    }
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (inFlight.size >= opts.maxInFlight) {
      result.skipped++;
      continue;
    }
    result.attempted++;
    const sent = performance.now();
    lastSend = sent;
    const p: Promise<void> = opts
      .op(i)
      .then(() => {
        const end = performance.now();
        result.latencies.push(end - due);
        result.serviceLatencies.push(end - sent);
        result.ok++;
      })
      .catch((err) => noteError(result, err))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  result.sendRate = result.attempted > 1 ? ((result.attempted - 1) / (lastSend - start)) * 1000 : 0;
  // Outstanding requests get until the deadline (plus a grace of 30 s) to finish.
  const grace = Math.max(0, deadline - performance.now()) + 30_000;
  await Promise.race([Promise.all([...inFlight]), sleep(grace)]);
  if (inFlight.size) {
    result.errors += inFlight.size;
    result.errorSamples.push(`${inFlight.size} requests still outstanding after the time limit`);
  }
  result.elapsedMs = performance.now() - start;
  return result;
}

/** Polls `check` until it returns true, at most `timeoutMs`; returns whether it did. */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await check()) return true;
    } catch {
      // not yet
    }
    await sleep(intervalMs);
  }
  try {
    return await check();
  } catch {
    return false;
  }
}
