import type { RecordBody } from '@baton/engine';

/**
 * How a partition bounds the commands it has taken and not yet answered (in flight: queued, processed or
 * being written). `aimd` adapts the bound to the measured latency from submission to answer (queue wait +
 * processing + commit), as Zeebe's default back-pressure does; `fixed` keeps it at `initialLimit`.
 */
export type BackPressureAlgorithm = 'aimd' | 'fixed';

/** Options of `createEngine({ backPressure })`; see `DEFAULT_BACK_PRESSURE` for the defaults. */
export interface BackPressureOptions {
  readonly algorithm: BackPressureAlgorithm;
  /** The latency to keep commands under (submission to answer, the slowest of each batch), in ms. */
  readonly targetLatencyMs: number;
  /** The in-flight limit to start from; with `fixed`, the limit. */
  readonly initialLimit: number;
  /** The limit never falls below this (enough to keep batches worth their fsync). */
  readonly minLimit: number;
  /** The limit never grows past this. */
  readonly maxLimit: number;
  /** A batch slower than the target multiplies the limit by this (0.5 to 1). */
  readonly backoffRatio: number;
}

export const DEFAULT_BACK_PRESSURE: BackPressureOptions = {
  algorithm: 'aimd',
  targetLatencyMs: 200,
  initialLimit: 1_000,
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

/** What one answered batch tells the limiter. */
export interface BatchSample {
  /** Commands answered. */
  readonly commands: number;
  /** The slowest command's latency, submission to answer, in ms. */
  readonly maxLatencyMs: number;
  /** The most commands in flight when any of them was admitted. */
  readonly maxInFlightAtAdmission: number;
  /** The batch could not be written. */
  readonly failed: boolean;
}

/**
 * An in-flight limit for one partition. A command is admitted while fewer than `limit` are in flight;
 * exempt ones always are (they count in flight all the same). Each answered batch adjusts the limit
 * (additive increase, multiplicative decrease, per batch since a batch is one commit):
 * - slower than the target, or failed: limit × backoffRatio — unless the batch was admitted above the current
 *   limit already (then the limit has come down since, and lowering it again would overshoot);
 * - within it, and the limit was at least half used: limit + the batch's commands (so a saturated partition
 *   doubles its limit per round trip while latency allows, and an idle one does not grow it blindly).
 */
export class CommandLimiter {
  private current: number;
  private inFlightNow = 0;
  private refusedTotal = 0;

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
  tryAcquire(exempt: boolean): number | undefined {
    if (!exempt && this.inFlightNow >= this.current) {
      this.refusedTotal += 1;
      return undefined;
    }
    return this.inFlightNow++;
  }

  /** A batch of admitted commands was answered (or failed): frees their slots and adapts the limit. */
  onBatch(sample: BatchSample): void {
    this.inFlightNow = Math.max(0, this.inFlightNow - sample.commands);
    if (this.options.algorithm === 'fixed' || sample.commands === 0) return;
    const { targetLatencyMs, minLimit, maxLimit, backoffRatio } = this.options;
    let next = this.current;
    if (sample.failed || sample.maxLatencyMs > targetLatencyMs) {
      if (sample.maxInFlightAtAdmission <= this.current) next = Math.floor(this.current * backoffRatio);
    } else if (sample.maxInFlightAtAdmission * 2 >= this.current) {
      next = this.current + sample.commands;
    }
    this.current = Math.min(maxLimit, Math.max(minLimit, next));
  }
}

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
]);
