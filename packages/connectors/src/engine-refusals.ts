import { BatonError } from '@baton-engine/baton';
import type { DeadLetterReason } from './dead-letter.js';

/** What the inbound connector does with a message the engine did not take. */
export type RefusalHandling =
  /** A message id the engine still has: the message had its effect already; acknowledge it. */
  | { readonly action: 'duplicate' }
  /** It will never be taken: park it on the dead-letter subject. */
  | { readonly action: 'dead-letter'; readonly reason: DeadLetterReason }
  /**
   * Give it back to the broker, to be delivered again after `delayMs`. With `parkAfter`, the refusal may be for
   * good: after `maxRefusals` of them the message is parked for that reason.
   */
  | { readonly action: 'retry'; readonly delayMs: number; readonly parkAfter?: DeadLetterReason };

/**
 * Sorts the engine's refusals of an inbound message into permanent and passing ones:
 *
 * | code | | |
 * | --- | --- | --- |
 * | `ALREADY_EXISTS` | duplicate | the message id is still buffered: acknowledged |
 * | `INVALID_ARGUMENT`, `INVALID_STATE` | permanent | the same message is refused again: parked (`engine-refused`) |
 * | `NOT_FOUND` | may pass | a process not deployed yet: given back (5 s), parked after `maxRefusals` (`unknown-process`) |
 * | `PROCESSING_ERROR`, not a `BatonError` | may pass | given back (1 s), parked after `maxRefusals` (`engine-error`) |
 * | `RESOURCE_EXHAUSTED`, `UNAVAILABLE`, `DEADLINE_EXCEEDED`, `CANCELED` | passing | back-pressure, a failed write, a closing engine: given back (1 s), never parked |
 */
export function handleRefusal(error: unknown): RefusalHandling {
  if (!(error instanceof BatonError)) return { action: 'retry', delayMs: 1_000, parkAfter: 'engine-error' };
  switch (error.code) {
    case 'ALREADY_EXISTS':
      return { action: 'duplicate' };
    case 'INVALID_ARGUMENT':
    case 'INVALID_STATE':
      return { action: 'dead-letter', reason: 'engine-refused' };
    case 'NOT_FOUND':
      return { action: 'retry', delayMs: 5_000, parkAfter: 'unknown-process' };
    case 'PROCESSING_ERROR':
      return { action: 'retry', delayMs: 1_000, parkAfter: 'engine-error' };
    case 'RESOURCE_EXHAUSTED':
    case 'UNAVAILABLE':
    case 'DEADLINE_EXCEEDED':
    case 'CANCELED':
      return { action: 'retry', delayMs: 1_000 };
  }
}
