import type { LoggedRecord } from '@baton-engine/engine';
import { BatonError } from '../errors.js';

interface Waiter {
  resolve(variables: Record<string, unknown>): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** Callers awaiting the result of a process instance, resolved from committed records. */
export class ResultWaiters {
  private readonly waiters = new Map<string, Waiter>();

  /** Must be called synchronously when the creation commits, before the batch reaches listeners. */
  register(processInstanceKey: string, timeoutMs: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(processInstanceKey);
        reject(
          new BatonError(
            'DEADLINE_EXCEEDED',
            `process instance ${processInstanceKey} did not complete within ${timeoutMs} ms; it keeps running`,
          ),
        );
      }, timeoutMs);
      this.waiters.set(processInstanceKey, { resolve, reject, timer });
    });
  }

  onCommit(records: readonly LoggedRecord[]): void {
    if (this.waiters.size === 0) return;
    for (const record of records) {
      if (record.recordType !== 'EVENT') continue;
      if (record.valueType === 'PROCESS_INSTANCE_RESULT') {
        this.settle(record.value.processInstanceKey, (w) => w.resolve(record.value.variables));
      } else if (
        record.valueType === 'PROCESS_INSTANCE' &&
        record.intent === 'ELEMENT_TERMINATED' &&
        record.value.flowScopeKey === '-1'
      ) {
        this.settle(record.key, (w) =>
          w.reject(
            new BatonError('CANCELED', `process instance ${record.key} was terminated before it completed`),
          ),
        );
      }
    }
  }

  private settle(key: string, action: (waiter: Waiter) => void): void {
    const waiter = this.waiters.get(key);
    if (!waiter) return;
    this.waiters.delete(key);
    clearTimeout(waiter.timer);
    action(waiter);
  }

  rejectAll(error: Error): void {
    for (const key of [...this.waiters.keys()]) this.settle(key, (w) => w.reject(error));
  }
}
