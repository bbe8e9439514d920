// What the hand-over tests share: partition 1 gets messages whose correlation key lives on partition 2.
import { homePartition } from '../runtime/event-distribution.js';
import { chain, end, model, serviceTask, start } from './event-models.js';

/** A process started by message `order-placed` (on partition 1 only), waiting in a job once started. */
export const startedByMessage = model('placed', [
  start('s', { message: 'order-placed' }),
  serviceTask('work', 'work'),
  end('e'),
  ...chain('s', 'work', 'e'),
]);

/** A process started without a message, waiting in a job of type `other`. */
export const plain = model('plain', [
  start('ps'),
  serviceTask('pw', 'other'),
  end('pe'),
  ...chain('ps', 'pw', 'pe'),
]);

/** A correlation key whose messages live on partition 2 (index 1) of two, so partition 1 only gets them handed over. */
export const keyOnPartitionTwo = (() => {
  for (let i = 0; ; i++) if (homePartition(`order-${i}`, 2) === 1) return `order-${i}`;
})();
