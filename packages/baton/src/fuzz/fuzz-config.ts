import type fc from 'fast-check';

/**
 * How the fuzzing suites run: a fixed seed by default, so that CI is reproducible and a failure in CI fails
 * the same way on a laptop. fast-check prints the seed and the shrunk counterexample's path on failure;
 * `BATON_FUZZ_SEED=<n>` replays it (or `random` explores new inputs), `BATON_FUZZ_RUNS=<factor>` multiplies
 * every property's number of runs (e.g. 20 for a longer local session).
 */
export function fuzzParameters<T>(numRuns: number): fc.Parameters<T> {
  const seedText = process.env.BATON_FUZZ_SEED;
  const seed =
    seedText === 'random'
      ? Math.floor(Math.random() * 0x7fffffff)
      : seedText
        ? Number(seedText)
        : DEFAULT_SEED;
  const given = Number(process.env.BATON_FUZZ_RUNS ?? '1');
  const factor = Number.isFinite(given) && given > 0 ? given : 1;
  return {
    seed,
    numRuns: Math.max(1, Math.round(numRuns * factor)),
    // A property that does not end within this (in all, not per run) is a hang: it fails, naming the seed.
    interruptAfterTimeLimit: 120_000 * Math.max(1, factor),
    markInterruptAsFailure: true,
    endOnFailure: true,
  };
}

const DEFAULT_SEED = 20261206;

/** Rejects with a message naming `what` when `promise` does not settle within `ms`: a hang is a finding. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
