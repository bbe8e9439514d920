import type { RecordBody } from '@baton-engine/engine';

/**
 * How a partition bounds the commands it has taken and not yet answered (in flight: queued, processed or
 * being written). `aimd` adapts the bound to the measured latency from submission to answer (queue wait +
 * processing + commit), as Zeebe's default back-pressure does; `fixed` keeps it at `initialLimit`.
 */
export type BackPressureAlgorithm = 'aimd' | 'fixed';

/** Options of `createEngine({ backPressure })`; see `DEFAULT_BACK_PRESSURE` for the defaults. */
export interface BackPressureOptions {
  readonly algorithm: BackPressureAlgorithm;
  /**
   * The latency to keep commands under (submission to answer), in ms: the limiter aims the slowest command of
   * each batch at half of it (`AIM`), so that the jitter one batch cannot foresee keeps the p99 within it.
   */
  readonly targetLatencyMs: number;
  /** The in-flight limit to start from; with `fixed`, the limit. */
  readonly initialLimit: number;
  /** The limit never falls below this (enough to keep batches worth their fsync). */
  readonly minLimit: number;
  /** The limit never grows past this. */
  readonly maxLimit: number;
  /** A batch slower than the target multiplies the limit by this at least (0.5 to 1). */
  readonly backoffRatio: number;
}

export const DEFAULT_BACK_PRESSURE: BackPressureOptions = {
  algorithm: 'aimd',
  targetLatencyMs: 200,
  initialLimit: 500,
  minLimit: 50,
  maxLimit: 10_000,
  backoffRatio: 0.9,
};

/** Resolves `createEngine`'s `backPressure` option: `false` turns the in-flight limit off. */
export function backPressureOptions(
  option: Partial<BackPressureOptions> | false | undefined,
): BackPressureOptions | undefined {
  if (option === false) return undefined;
  const options = { ...DEFAULT_BACK_PRESSURE, ...option };
  const { targetLatencyMs, initialLimit, minLimit, maxLimit, backoffRatio, algorithm } = options;
  const problem =
    algorithm !== 'aimd' && algorithm !== 'fixed'
      ? `algorithm must be 'aimd' or 'fixed', got '${String(algorithm)}'`
      : !(targetLatencyMs > 0)
        ? `targetLatencyMs must be positive, got ${targetLatencyMs}`
        : !(Number.isInteger(minLimit) && minLimit >= 1 && Number.isInteger(maxLimit) && maxLimit >= minLimit)
          ? `minLimit and maxLimit must be integers with 1 <= minLimit <= maxLimit, got ${minLimit} and ${maxLimit}`
          : !(Number.isInteger(initialLimit) && initialLimit >= minLimit && initialLimit <= maxLimit)
            ? `initialLimit must be an integer from minLimit to maxLimit, got ${initialLimit}`
            : !(backoffRatio >= 0.5 && backoffRatio < 1)
              ? `backoffRatio must be from 0.5 to below 1, got ${backoffRatio}`
              : undefined;
  if (problem) throw new RangeError(`backPressure: ${problem}`);
  return options;
}

/** What the limiter knows of one admitted command. */
export interface Admission {
  /** When it was submitted, on the limiter's clock (`performance.now()`). */
  readonly submittedAt: number;
  /** Commands in flight when it was admitted. */
  readonly inFlightAtAdmission: number;
}

/**
 * An in-flight limit for one partition. A command is admitted while fewer than `limit` are in flight;
 * exempt ones always are (they count in flight all the same). Each answered batch (one commit) adjusts the
 * limit from the latency of its commands that were admitted within the current limit (those admitted above
 * it reflect a higher limit, already lowered since), against an aim of `AIM` × the target (the slowest of a
 * batch aimed right at the target puts every pause the batch meets — a collection, a slower fsync — above it):
 * - the batch failed: limit × backoffRatio;
 * - otherwise only when the limit was at least half used (saturated: latency is then mostly queueing, which
 *   the limit controls; below that, a slow batch is a cold start or a pause, and a fast one no reason to grow):
 *   - slowest above the aim: limit × min(backoffRatio, aim ÷ latency), at least ×0.5 (the latency of a
 *     saturated partition is proportional to what is in flight: Little's law);
 *   - within it: limit + commands × (1 − latency ÷ aim), but not past what the partition answers in the
 *     aim's time at its measured rate (so the limit does not outgrow the aim during the round trip it takes
 *     to see the latency of what it admitted).
 */
export class CommandLimiter {
  private current: number;
  private inFlightNow = 0;
  private refusedTotal = 0;
  /** Commands answered per ms while busy (a moving average over windows of `RATE_WINDOW_MS`). */
  private rate = 0;
  /** The current rate window: since when (undefined while idle), and commands answered in it. */
  private windowStart: number | undefined;
  private windowCount = 0;

  constructor(private readonly options: BackPressureOptions) {
    this.current = options.initialLimit;
  }

  get limit(): number {
    return this.current;
  }

  get inFlight(): number {
    return this.inFlightNow;
  }

  /** Commands refused by the limit since the partition opened. */
  get refused(): number {
    return this.refusedTotal;
  }

  /** Admits a command: returns the in-flight count it was admitted at, or undefined when it is refused. */
  tryAcquire(exempt: boolean, now: number): number | undefined {
    if (!exempt && this.inFlightNow >= this.current) {
      this.refusedTotal += 1;
      return undefined;
    }
    if (this.inFlightNow === 0) {
      // Idle until now: the rate is measured from here.
      this.windowStart = now;
      this.windowCount = 0;
    }
    return this.inFlightNow++;
  }

  /** A batch of admitted commands was answered (or failed) at `now`: frees their slots, adapts the limit. */
  onBatch(commands: readonly Admission[], now: number, failed: boolean): void {
    this.inFlightNow = Math.max(0, this.inFlightNow - commands.length);
    this.windowCount += commands.length;
    if (this.windowStart !== undefined && now - this.windowStart >= RATE_WINDOW_MS) {
      const rate = this.windowCount / (now - this.windowStart);
      this.rate = this.rate === 0 ? rate : (this.rate + rate) / 2;
      this.windowStart = now;
      this.windowCount = 0;
    }
    if (this.options.algorithm === 'fixed') return;
    const { minLimit, maxLimit, backoffRatio } = this.options;
    const aim = this.options.targetLatencyMs * AIM;
    let latency = -1;
    let inFlight = 0;
    for (const { submittedAt, inFlightAtAdmission } of commands) {
      if (inFlightAtAdmission >= this.current) continue;
      latency = Math.max(latency, now - submittedAt);
      inFlight = Math.max(inFlight, inFlightAtAdmission + 1);
    }
    // Below half the limit, latency is not queueing (a cold start, a large deployment, a pause of the
    // process): the limit neither caused it nor can cure it, and it says nothing about raising the limit.
    const saturated = inFlight * 2 >= this.current;
    let next = this.current;
    if (failed) next = this.current * backoffRatio;
    else if (latency < 0 || !saturated) return;
    else if (latency > aim) next = this.current * Math.max(0.5, Math.min(backoffRatio, aim / latency));
    else {
      const ceiling = this.rate > 0 ? Math.max(this.current, this.rate * aim) : maxLimit;
      next = Math.min(ceiling, this.current + commands.length * (1 - latency / aim));
    }
    this.current = Math.min(maxLimit, Math.max(minLimit, Math.floor(next)));
  }
}

/**
 * The share of the target the slowest command of a saturated batch is aimed at. Measured on a 50,000-command
 * burst (bench/back-pressure.ts): aiming at the target itself kept the p99 near 1.5× it, at half of it the
 * p99 stays within it.
 */
const AIM = 0.5;

/** The answer rate is measured over windows at least this long (two pipelined batches settle at once). */
const RATE_WINDOW_MS = 100;

/**
 * Commands the limit never refuses (they still count in flight), so that work already in the engine can
 * drain while clients are pushed back. As Zeebe's whitelist: completing and failing a job, cancelling an
 * instance, deploying; beyond it, throwing a BPMN error from a job (it ends the job as failing does). And
 * what the engine sends itself, which Zeebe writes without the limiter: the scheduler's commands (timers,
 * job deadlines and back-offs, message expiry), hand-overs between partitions, deployments and resource
 * deletions distributed to every partition.
 */
export function isExemptFromBackPressure(body: RecordBody): boolean {
  switch (body.valueType) {
    case 'JOB':
      return EXEMPT_JOB_INTENTS.has(body.intent);
    case 'PROCESS_INSTANCE':
      return body.intent === 'CANCEL';
    case 'DEPLOYMENT':
    case 'RESOURCE_DELETION':
    case 'TIMER':
      return true;
    case 'MESSAGE':
      return body.intent === 'EXPIRE' || (body.intent === 'PUBLISH' && body.value.handOver !== undefined);
    case 'SIGNAL':
      return body.intent === 'BROADCAST' && body.value.distributed;
    default:
      return false;
  }
}

const EXEMPT_JOB_INTENTS: ReadonlySet<string> = new Set([
  'COMPLETE',
  'FAIL',
  'THROW_ERROR',
  'TIME_OUT',
  'RECUR_AFTER_BACKOFF',
  'YIELD',
]);
