import type { EventBody, LoggedEventOf, RecordEnvelope } from '../../records/record.js';
import type { EngineState } from '../engine-state.js';

/** One BATCH_OPERATION event, narrowed by its intent (the value type's events carry different values). */
type BatchEvent<I extends string> = Extract<EventBody, { valueType: 'BATCH_OPERATION'; intent: I }> &
  RecordEnvelope;
type Applier = (state: EngineState, record: LoggedEventOf<'BATCH_OPERATION'>) => void;

/** The applier of one intent, given the record of that intent (the registry calls it for no other). */
function on<I extends string>(apply: (state: EngineState, record: BatchEvent<I>) => void): Applier {
  return (state, record) => apply(state, record as BatchEvent<I>);
}

export const created = on<'CREATED'>((state, r) =>
  state.batchOperations.created(r.key, r.value, r.timestamp),
);

export const chunkCreated = on<'CHUNK_CREATED'>((state, r) =>
  state.batchOperations.chunkCreated(r.key, r.value.items, r.value.cursor, r.value.last),
);

export const executing = on<'EXECUTING'>((state, r) =>
  state.batchOperations.executing(r.key, r.value.itemKeys),
);

export const outcomesRecorded = on<'OUTCOMES_RECORDED'>((state, r) =>
  state.batchOperations.outcomesRecorded(r.key, r.value.outcomes, r.timestamp),
);

export const completed = on<'COMPLETED'>((state, r) =>
  state.batchOperations.changed(r.key, r.value.state, r.timestamp),
);

export const suspended: Applier = (state, r) =>
  state.batchOperations.changed(r.key, 'SUSPENDED', r.timestamp);
export const resumed: Applier = (state, r) => state.batchOperations.changed(r.key, 'ACTIVE', r.timestamp);
export const canceled: Applier = (state, r) => state.batchOperations.changed(r.key, 'CANCELED', r.timestamp);

export const failed = on<'FAILED'>((state, r) => state.batchOperations.failed(r.key, r.value, r.timestamp));
