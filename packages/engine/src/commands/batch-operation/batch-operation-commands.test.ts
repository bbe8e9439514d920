import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineHarness } from '../../testing/index.js';
import { EngineState } from '../../state/engine-state.js';

function create(engine: EngineHarness, type = 'CANCEL_PROCESS_INSTANCE' as const) {
  return engine.command({
    valueType: 'BATCH_OPERATION',
    intent: 'CREATE',
    value: { batchOperationType: type, filter: { processDefinitionId: 'p' } },
  });
}

const items = (...keys: string[]) => keys.map((k) => ({ itemKey: k, processInstanceKey: k }));

describe('BATCH_OPERATION', () => {
  it('is created, records its items in chunks and completes once every item has its outcome', () => {
    const engine = new EngineHarness();
    const key = create(engine).accepted().key;
    assert.equal(engine.state.batchOperations.get(key)?.state, 'CREATED');
    const chunk = (value: { items: ReturnType<typeof items>; cursor: string; last: boolean }) =>
      engine.command({ valueType: 'BATCH_OPERATION', intent: 'CREATE_CHUNK', value }, key);
    chunk({ items: items('1', '2'), cursor: '2', last: false });
    // The same item found twice (the search moved on under it) is recorded once.
    const second = chunk({ items: items('2', '3'), cursor: '3', last: true });
    assert.deepEqual(second.ofValueType('BATCH_OPERATION').withIntent('CHUNK_CREATED').only().value, {
      items: items('3'),
      cursor: '3',
      last: true,
    });
    const operation = engine.state.batchOperations.get(key)!;
    assert.equal(operation.state, 'ACTIVE');
    assert.equal(operation.pending, 3);
    const record = (outcomes: { itemKey: string; state: 'COMPLETED' | 'FAILED'; errorMessage?: string }[]) =>
      engine.command({ valueType: 'BATCH_OPERATION', intent: 'RECORD_OUTCOMES', value: { outcomes } }, key);
    record([{ itemKey: '1', state: 'COMPLETED' }]);
    assert.equal(engine.state.batchOperations.get(key)?.state, 'ACTIVE');
    const last = record([
      { itemKey: '2', state: 'COMPLETED' },
      { itemKey: '3', state: 'FAILED', errorMessage: 'no such instance' },
    ]);
    assert.equal(
      last.ofValueType('BATCH_OPERATION').withIntent('COMPLETED').only().value.state,
      'PARTIALLY_COMPLETED',
    );
    const ended = engine.state.batchOperations.get(key)!;
    assert.deepEqual([ended.completed, ended.failed, ended.pending], [2, 1, 0]);
    assert.equal(ended.items.get('3')?.errorMessage, 'no such instance');
    // An outcome for an item that has one already changes nothing; an unknown item is refused.
    assert.equal(
      record([{ itemKey: '1', state: 'FAILED' }])
        .ofValueType('BATCH_OPERATION')
        .withIntent('OUTCOMES_RECORDED')
        .only().value.outcomes.length,
      0,
    );
    assert.equal(record([{ itemKey: '9', state: 'COMPLETED' }]).rejection?.rejectionType, 'NOT_FOUND');
    engine.assertReplayEqualsLive();
  });

  it('completes at once when the filter finds nothing', () => {
    const engine = new EngineHarness();
    const key = create(engine).accepted().key;
    const result = engine.command(
      { valueType: 'BATCH_OPERATION', intent: 'CREATE_CHUNK', value: { items: [], cursor: '', last: true } },
      key,
    );
    assert.equal(
      result.ofValueType('BATCH_OPERATION').withIntent('COMPLETED').only().value.state,
      'COMPLETED',
    );
  });

  it('is suspended, resumed and cancelled; cancelling marks the items not acted on as CANCELED', () => {
    const engine = new EngineHarness();
    const key = create(engine).accepted().key;
    const lifecycle = (intent: 'SUSPEND' | 'RESUME' | 'CANCEL') =>
      engine.command({ valueType: 'BATCH_OPERATION', intent, value: {} }, key);
    engine.command(
      {
        valueType: 'BATCH_OPERATION',
        intent: 'CREATE_CHUNK',
        value: { items: items('1', '2'), cursor: '', last: true },
      },
      key,
    );
    assert.equal(lifecycle('RESUME').rejection?.rejectionType, 'INVALID_STATE');
    lifecycle('SUSPEND').accepted();
    assert.equal(engine.state.batchOperations.get(key)?.state, 'SUSPENDED');
    assert.equal(lifecycle('SUSPEND').rejection?.rejectionType, 'INVALID_STATE');
    lifecycle('RESUME').accepted();
    engine.command(
      {
        valueType: 'BATCH_OPERATION',
        intent: 'RECORD_OUTCOMES',
        value: { outcomes: [{ itemKey: '1', state: 'COMPLETED' }] },
      },
      key,
    );
    lifecycle('CANCEL').accepted();
    const operation = engine.state.batchOperations.get(key)!;
    assert.equal(operation.state, 'CANCELED');
    assert.deepEqual(
      [...operation.items.values()].map((i) => i.state),
      ['COMPLETED', 'CANCELED'],
    );
    assert.ok(operation.endDate !== undefined);
    assert.equal(lifecycle('CANCEL').rejection?.rejectionType, 'INVALID_STATE');
    assert.equal(lifecycle('SUSPEND').rejection?.rejectionType, 'INVALID_STATE');
    engine.assertReplayEqualsLive();
    // A snapshot holds the operation with its items, as replay does.
    const snapshot = (engine.state as EngineState).toSnapshot();
    const restored = EngineState.fromSnapshot(engine.state.partitionId, snapshot);
    assert.deepEqual(restored.toSnapshot(), snapshot);
    assert.deepEqual(restored.batchOperations.get(key), operation);
  });

  it('refuses a bad creation, naming what is wrong, and an unknown key', () => {
    const engine = new EngineHarness();
    const refused = engine.command({
      valueType: 'BATCH_OPERATION',
      intent: 'CREATE',
      value: { batchOperationType: 'MIGRATE_PROCESS_INSTANCE', filter: {} },
    });
    assert.match(refused.rejection?.rejectionReason ?? '', /migration plan/);
    const unknownTarget = engine.command({
      valueType: 'BATCH_OPERATION',
      intent: 'CREATE',
      value: {
        batchOperationType: 'MIGRATE_PROCESS_INSTANCE',
        filter: {},
        migrationPlan: {
          targetProcessDefinitionKey: '123',
          mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'b' }],
        },
      },
    });
    assert.equal(unknownTarget.rejection?.rejectionType, 'NOT_FOUND');
    assert.equal(
      engine.command({ valueType: 'BATCH_OPERATION', intent: 'SUSPEND', value: {} }, '4242').rejection
        ?.rejectionType,
      'NOT_FOUND',
    );
  });
});
