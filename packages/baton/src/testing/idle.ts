import type { Engine } from '../engine.js';
import { partitionsOf } from '../internal.js';

/** Rounds without progress after which an engine with work due is declared stuck rather than waited on. */
const STUCK_ROUNDS = 50;
/** Rounds at most: an instance that keeps itself busy forever (a timer loop at zero delay) ends here. */
const MAX_ROUNDS = 10_000;

/** Lets what the engine queued for the next turn run: group commit, woken workers, their handlers' promises. */
function nextImmediate(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Lets zero-delay timers run too: the due-date scheduler fires work that fell due from one. */
function nextTimerTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Sleeps in wall-clock time, for the short bounded waits of assertions and job helpers. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The earliest due date (job deadline, back-off, timer, message expiry) over all partitions. */
export function nextDueDate(engine: Engine): number | undefined {
  let next: number | undefined;
  for (const partition of partitionsOf(engine)) {
    const due = partition.engineState.nextDueDate();
    if (due !== undefined && (next === undefined || due < next)) next = due;
  }
  return next;
}

function isDueNow(engine: Engine): boolean {
  const due = nextDueDate(engine);
  return due !== undefined && due <= engine.clock.now();
}

/**
 * Resolves once the engine has nothing left to do at the current time: no partition has queued commands,
 * nothing is due at the clock's time, and a further turn of the event loop commits no new record.
 * `committed()` counts the records committed so far. Rejects when work stays due without progress (an
 * engine bug the test should see) or the engine never settles.
 */
export async function waitUntilIdle(engine: Engine, committed: () => number): Promise<void> {
  let quietRounds = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = committed();
    await engine.flush();
    // A timer turn costs a millisecond or more; only wait for one when the scheduler has something to fire.
    await (isDueNow(engine) ? nextTimerTurn() : nextImmediate());
    const queued = partitionsOf(engine).some((p) => p.queuedCommands > 0);
    const dueNow = isDueNow(engine);
    const progressed = committed() !== before;
    if (!queued && !dueNow && !progressed) return;
    quietRounds = progressed || queued ? 0 : quietRounds + 1;
    if (quietRounds >= STUCK_ROUNDS) {
      throw new Error(
        `The engine did not become idle: work due at ${new Date(nextDueDate(engine)!).toISOString()} ` +
          `(clock at ${new Date(engine.clock.now()).toISOString()}) is not processed`,
      );
    }
  }
  throw new Error(
    `The engine did not become idle after ${MAX_ROUNDS} rounds: does an instance loop forever?`,
  );
}
