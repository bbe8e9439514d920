import { partitionOfKey } from '../keys.js';
import type { HandOver } from '../records/message.js';
import type { ProcessingContext } from '../processing/processing-context.js';

/**
 * Whether a message or signal handed over from another partition is taken: exactly once (a repeat is
 * ALREADY_EXISTS) and in order (a hand-over after a gap is INVALID_STATE, so the sender starts again from the
 * last one taken). Anything not handed over is always taken.
 */
export function takesHandOver(ctx: ProcessingContext, key: string, handOver: HandOver | undefined): boolean {
  if (!handOver) return true;
  const source = partitionOfKey(key);
  const last = ctx.state.handOverPosition(source);
  if (handOver.sourcePosition <= last) {
    ctx.reject(
      'ALREADY_EXISTS',
      `Expected a hand-over from partition ${source} after position ${last}, but position ${handOver.sourcePosition} was taken already`,
    );
    return false;
  }
  if (handOver.previousPosition > last) {
    ctx.reject(
      'INVALID_STATE',
      `Expected the hand-over from partition ${source} that follows position ${last}, but this one follows ${handOver.previousPosition}`,
    );
    return false;
  }
  return true;
}
