import { AssertionError } from 'node:assert';
import { isDeepStrictEqual } from 'node:util';
import type { InstanceHistory, RecordHistory } from './instance-history.js';
import { formatValue } from './instance-report.js';
import { sleep } from './idle.js';

/** What assertions need from a test engine. */
export interface AssertionContext {
  readonly history: RecordHistory;
  waitForIdle(): Promise<void>;
  /** Where the instance is, for failure messages. */
  describe(processInstanceKey: string): string;
  /** Default milliseconds (wall clock) an assertion waits for the expected state. */
  readonly waitTimeout: number;
}

/** Options of `expectInstance`. */
export interface ExpectInstanceOptions {
  /** Milliseconds (wall clock) to wait for the expected state before failing; default the engine's `waitTimeout`. */
  readonly timeout?: number;
}

/** One expectation about an instance's history. */
interface Check {
  readonly operator: string;
  /** Completes "Expected process instance … to …", e.g. "to have completed". */
  readonly expectation: string;
  holds(history: InstanceHistory): boolean;
  /** Why it does not hold (or, negated, why it does), e.g. "'ship' did not complete". */
  explain(history: InstanceHistory, negated: boolean): string;
  readonly expected?: unknown;
  actual?(history: InstanceHistory): unknown;
}

/**
 * Assertions on one process instance that read like the process. Each is async: it waits until the engine
 * is idle, then up to a short timeout for the expected state, and otherwise rejects with an
 * `AssertionError` whose message says where the instance actually is. `not` negates the next assertion.
 */
export class InstanceAssertions {
  /** @internal Created by `expectInstance`. */
  constructor(
    private readonly ctx: AssertionContext,
    private readonly processInstanceKey: string,
    private readonly options: ExpectInstanceOptions = {},
    private readonly negated = false,
  ) {}

  /** The same assertions, each expecting the opposite: `await expectInstance(i).not.toHavePassed('review')`. */
  get not(): InstanceAssertions {
    return new InstanceAssertions(this.ctx, this.processInstanceKey, this.options, !this.negated);
  }

  /** The instance completed: its process reached its end. */
  toHaveCompleted(): Promise<void> {
    return this.check(statusCheck('toHaveCompleted', 'to have completed', 'COMPLETED'));
  }

  /** The instance is still running (neither completed nor terminated). */
  toBeActive(): Promise<void> {
    return this.check(statusCheck('toBeActive', 'to be active', 'ACTIVE'));
  }

  /** The instance was terminated (canceled, or ended by a terminate end event). */
  toHaveBeenTerminated(): Promise<void> {
    return this.check(statusCheck('toHaveBeenTerminated', 'to have been terminated', 'TERMINATED'));
  }

  /** Each element completed at least once, in any order. Negated: none of them completed. */
  toHavePassed(...elementIds: string[]): Promise<void> {
    const passed = (h: InstanceHistory, id: string) => h.completed.includes(id);
    return this.check({
      operator: 'toHavePassed',
      expectation: `to have passed ${quoteAll(elementIds)}`,
      holds: (h) =>
        this.negated ? elementIds.some((id) => passed(h, id)) : elementIds.every((id) => passed(h, id)),
      explain: (h, negated) =>
        negated
          ? `${quoteAll(elementIds.filter((id) => passed(h, id)))} did complete`
          : `${quoteAll(elementIds.filter((id) => !passed(h, id)))} did not complete`,
      expected: elementIds,
      actual: (h) => h.completed,
    });
  }

  /** The elements completed in this order (others may have completed in between). */
  toHavePassedInOrder(...elementIds: string[]): Promise<void> {
    return this.check({
      operator: 'toHavePassedInOrder',
      expectation: `to have passed ${quoteAll(elementIds)} in this order`,
      holds: (h) => isSubsequence(elementIds, h.completed),
      explain: (h) => `the elements completed in this order: ${quoteAll(h.completed)}`,
      expected: elementIds,
      actual: (h) => h.completed,
    });
  }

  /** Each element is active right now (e.g. a task waiting for its job, a catch event for its timer). */
  toBeWaitingAt(...elementIds: string[]): Promise<void> {
    const waiting = (h: InstanceHistory, id: string) => h.activeElements().some((e) => e.elementId === id);
    return this.check({
      operator: 'toBeWaitingAt',
      expectation: `to be waiting at ${quoteAll(elementIds)}`,
      holds: (h) =>
        this.negated ? elementIds.some((id) => waiting(h, id)) : elementIds.every((id) => waiting(h, id)),
      explain: (h, negated) =>
        negated
          ? `it is waiting at ${quoteAll(elementIds.filter((id) => waiting(h, id)))}`
          : `it is not waiting at ${quoteAll(elementIds.filter((id) => !waiting(h, id)))}`,
      expected: elementIds,
      actual: (h) => h.activeElements().map((e) => e.elementId),
    });
  }

  /**
   * The process-instance scope has these variables with deeply equal values; others may exist too.
   * Negated: at least one of them is missing or differs.
   */
  toHaveVariables(expected: Record<string, unknown>): Promise<void> {
    const mismatches = (h: InstanceHistory) => {
      const actual = h.variables();
      return Object.entries(expected).flatMap(([name, value]) => {
        if (!Object.hasOwn(actual, name)) return [`'${name}' is not set (expected ${formatValue(value)})`];
        if (isDeepStrictEqual(actual[name], value)) return [];
        return [`'${name}' is ${formatValue(actual[name])}, expected ${formatValue(value)}`];
      });
    };
    return this.check({
      operator: 'toHaveVariables',
      expectation: `to have the variables ${formatValue(expected)}`,
      holds: (h) => mismatches(h).length === 0,
      explain: (h, negated) => (negated ? 'it has all of them' : mismatches(h).join('; ')),
      expected,
      actual: (h) => h.variables(),
    });
  }

  /**
   * The instance has an open incident, at the element when one is named, whose message contains the text
   * (or matches the pattern) when one is given. Negated without arguments: it has no open incident.
   */
  toHaveIncident(elementId?: string, message?: string | RegExp): Promise<void> {
    const matching = (h: InstanceHistory) =>
      h
        .openIncidents()
        .filter((i) => elementId === undefined || i.elementId === elementId)
        .filter((i) => message === undefined || messageMatches(i.errorMessage, message));
    const what = [
      'to have an open incident',
      elementId === undefined ? '' : ` at '${elementId}'`,
      message === undefined
        ? ''
        : ` with a message ${message instanceof RegExp ? `matching ${message}` : `containing '${message}'`}`,
    ].join('');
    return this.check({
      operator: 'toHaveIncident',
      expectation: what,
      holds: (h) => matching(h).length > 0,
      explain: (h, negated) => {
        if (negated)
          return `it has: ${matching(h)
            .map((i) => `${i.elementId}: '${i.errorMessage}'`)
            .join(', ')}`;
        const open = h.openIncidents();
        return open.length === 0
          ? 'it has no open incident'
          : `its open incidents are: ${open.map((i) => `${i.elementId}: '${i.errorMessage}'`).join(', ')}`;
      },
    });
  }

  private async check(check: Check): Promise<void> {
    const timeout = this.options.timeout ?? this.ctx.waitTimeout;
    const end = Date.now() + timeout;
    await this.ctx.waitForIdle();
    for (;;) {
      const history = this.ctx.history.instance(this.processInstanceKey);
      if (check.holds(history) !== this.negated) return;
      if (Date.now() >= end) throw this.failure(check, history, timeout);
      await sleep(10);
      await this.ctx.waitForIdle();
    }
  }

  private failure(check: Check, history: InstanceHistory, timeout: number): AssertionError {
    const name = history.bpmnProcessId ? ` of '${history.bpmnProcessId}'` : '';
    const waited = timeout > 0 ? ` (waited ${timeout} ms)` : '';
    const message =
      `Expected process instance ${this.processInstanceKey}${name} ${this.negated ? 'not ' : ''}${check.expectation}, ` +
      `but ${check.explain(history, this.negated)}${waited}.\n\n${this.ctx.describe(this.processInstanceKey)}`;
    return new AssertionError({
      message,
      operator: `${this.negated ? 'not.' : ''}${check.operator}`,
      expected: check.expected,
      actual: check.actual?.(history),
    });
  }
}

function statusCheck(operator: string, expectation: string, status: InstanceHistory['status']): Check {
  return {
    operator,
    expectation,
    holds: (h) => h.status === status,
    explain: (h) => (h.status === 'UNKNOWN' ? 'no event of it was seen' : `it is ${h.status}`),
    expected: status,
    actual: (h) => h.status,
  };
}

function messageMatches(text: string, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
}

function quoteAll(ids: readonly string[]): string {
  return ids.length === 0 ? '(none)' : ids.map((id) => `'${id}'`).join(', ');
}

/** Whether `wanted` appears in `sequence` in order, not necessarily next to each other. */
function isSubsequence(wanted: readonly string[], sequence: readonly string[]): boolean {
  let i = 0;
  for (const item of sequence) if (i < wanted.length && item === wanted[i]) i++;
  return i === wanted.length;
}
