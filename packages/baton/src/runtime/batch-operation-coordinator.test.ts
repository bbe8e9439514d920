import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BatchOperation, LoggedRecord } from '@baton-engine/engine';
import { createProcess } from '@baton-engine/builder';
import { createEngine } from '../engine.js';
import type { Engine } from '../engine.js';
import { partitionOf, stateOf } from '../internal.js';
import type { BatchOperationItemSource } from './batch-operation-items.js';

/** Resolves with the first committed record that matches, or fails after a generous time. */
function nextRecord(
  engine: Engine,
  match: (r: LoggedRecord) => boolean,
  what: string,
): Promise<LoggedRecord> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${what} within 20 s`));
    }, 20_000);
    const off = engine.onRecords((records) => {
      const found = records.find(match);
      if (!found) return;
      clearTimeout(timer);
      off();
      resolve(found);
    });
  });
}

const batchEvent = (intent: string) => (r: LoggedRecord) =>
  r.valueType === 'BATCH_OPERATION' && r.recordType === 'EVENT' && r.intent === intent;

/**
 * An item source standing in for the read model: the given instances, ten a page; the active element
 * instances of a modification come from the engine's state once `gate` opens (so a test holds items in flight).
 */
function stubSource(engine: Engine, keys: readonly string[], gate: Promise<void> = Promise.resolve()) {
  return {
    async items(_operation: Readonly<BatchOperation>, cursor: string) {
      const from = Number(cursor || '0');
      const page = keys.slice(from, from + 10);
      return {
        items: page.map((k) => ({ itemKey: k, processInstanceKey: k })),
        cursor: String(from + page.length),
        last: from + page.length >= keys.length,
      };
    },
    async activeElementInstances(processInstanceKey: string, elementIds: readonly string[]) {
      await gate;
      return stateOf(engine)
        .childrenOf(processInstanceKey)
        .filter((e) => elementIds.includes(e.elementId))
        .map((e) => ({ elementInstanceKey: e.key, elementId: e.elementId, flowScopeKey: e.flowScopeKey }));
    },
    async jobOfIncident() {
      return undefined;
    },
    async processDefinitionOf() {
      return undefined;
    },
  } satisfies BatchOperationItemSource;
}

async function setUp(count: number) {
  const engine = await createEngine({ store: 'memory' });
  await engine.deploy(createProcess('move').startEvent().userTask('a').userTask('b').endEvent().done());
  const keys: string[] = [];
  for (let i = 0; i < count; i++) keys.push((await engine.createInstance('move')).processInstanceKey);
  return { engine, keys };
}

const at = (engine: Engine, key: string) =>
  stateOf(engine)
    .childrenOf(key)
    .map((e) => e.elementId);

const MOVE = {
  batchOperationType: 'MODIFY_PROCESS_INSTANCE',
  filter: {},
  moveInstructions: [{ sourceElementId: 'a', targetElementId: 'b' }],
} as const;

/**
 * A modification batch over `count` instances whose first window of items is held in flight: resolves once
 * their EXECUTING is recorded, with `open` to let them go on.
 */
async function heldMove(count: number) {
  const { engine, keys } = await setUp(count);
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  engine.runBatchOperations(stubSource(engine, keys, gate));
  const executing = nextRecord(engine, batchEvent('EXECUTING'), 'EXECUTING');
  const { batchOperationKey } = await engine.createBatchOperation(MOVE);
  const sent = (await executing).value as { itemKeys: string[] };
  return { engine, keys, batchOperationKey, sent, open };
}

describe('batch operation coordinator', () => {
  it('suspended mid-way, lets the commands in flight end, acts on nothing more, and goes on when resumed', async (t) => {
    const { engine, keys, batchOperationKey, sent, open } = await heldMove(20);
    t.after(() => engine.close());
    assert.equal(sent.itemKeys.length, 16, 'a window of 16 items');
    const recorded = nextRecord(engine, batchEvent('OUTCOMES_RECORDED'), 'outcomes');
    await engine.suspendBatchOperation(batchOperationKey);
    open();
    await recorded;
    await engine.flush();
    const suspended = engine.batchOperation(batchOperationKey)!;
    assert.equal(suspended.state, 'SUSPENDED');
    assert.deepEqual([suspended.completed, suspended.pending], [16, 4]);
    const waiting = keys.filter((k) => !sent.itemKeys.includes(k));
    assert.deepEqual(
      waiting.map((k) => at(engine, k)),
      [['a'], ['a'], ['a'], ['a']],
    );
    assert.deepEqual(at(engine, sent.itemKeys[0]!), ['b']);

    const completed = nextRecord(engine, batchEvent('COMPLETED'), 'COMPLETED');
    await engine.resumeBatchOperation(batchOperationKey);
    assert.equal(((await completed).value as { state: string }).state, 'COMPLETED');
    assert.equal(engine.batchOperation(batchOperationKey)!.completed, 20);
    assert.ok(keys.every((k) => at(engine, k)[0] === 'b'));
  });

  it('cancelled mid-way, records the items in flight and cancels the rest', async (t) => {
    const { engine, keys, batchOperationKey, open } = await heldMove(20);
    t.after(() => engine.close());
    const recorded = nextRecord(engine, batchEvent('OUTCOMES_RECORDED'), 'outcomes');
    await engine.cancelBatchOperation(batchOperationKey);
    open();
    await recorded;
    const operation = engine.batchOperation(batchOperationKey)!;
    assert.equal(operation.state, 'CANCELED');
    const states = [...operation.items.values()].map((i) => i.state);
    assert.equal(states.filter((s) => s === 'COMPLETED').length, 16);
    assert.equal(states.filter((s) => s === 'CANCELED').length, 4);
    assert.equal(
      keys.filter((k) => at(engine, k)[0] === 'a').length,
      4,
      'the cancelled items were not moved',
    );
  });

  it('fails the operation when its items cannot be searched, with the reason', async (t) => {
    const { engine } = await setUp(1);
    t.after(() => engine.close());
    engine.runBatchOperations({
      ...stubSource(engine, []),
      items: async () => {
        throw new Error('the read model is gone');
      },
    });
    const failed = nextRecord(engine, batchEvent('FAILED'), 'FAILED');
    const { batchOperationKey } = await engine.createBatchOperation({
      batchOperationType: 'CANCEL_PROCESS_INSTANCE',
      filter: {},
    });
    await failed;
    const operation = engine.batchOperation(batchOperationKey)!;
    assert.equal(operation.state, 'FAILED');
    assert.deepEqual(operation.errors, [
      { partitionId: 1, type: 'QUERY_FAILED', message: 'the read model is gone' },
    ]);
  });

  it('waits in CREATED until an item source is attached', async (t) => {
    const { engine, keys } = await setUp(3);
    t.after(() => engine.close());
    const { batchOperationKey } = await engine.createBatchOperation({
      batchOperationType: 'CANCEL_PROCESS_INSTANCE',
      filter: {},
    });
    await engine.flush();
    assert.equal(engine.batchOperation(batchOperationKey)!.state, 'CREATED');
    const completed = nextRecord(engine, batchEvent('COMPLETED'), 'COMPLETED');
    engine.runBatchOperations(stubSource(engine, keys));
    await completed;
    assert.equal(engine.batchOperation(batchOperationKey)!.completed, 3);
    assert.ok(keys.every((k) => stateOf(engine).elementInstance(k) === undefined));
  });

  it('sends again an item whose outcome is unknown, and counts a rejection as done when the effect is there', async (t) => {
    const { engine, keys } = await setUp(4);
    t.after(() => engine.close());
    const [cancelledBefore, sentOnly, neverSent, goneBefore] = keys as [string, string, string, string];
    const { batchOperationKey: key } = await engine.createBatchOperation({
      batchOperationType: 'CANCEL_PROCESS_INSTANCE',
      filter: {},
    });
    // As a coordinator that stopped mid-way left it: every item recorded, two marked as sent, one of which had
    // its effect (the instance is cancelled); another instance ended by itself before anything was sent.
    const partition = partitionOf(engine);
    await partition.submit(
      {
        valueType: 'BATCH_OPERATION',
        intent: 'CREATE_CHUNK',
        value: { items: keys.map((k) => ({ itemKey: k, processInstanceKey: k })), cursor: '4', last: true },
      },
      key,
    );
    await partition.submit(
      { valueType: 'BATCH_OPERATION', intent: 'EXECUTE', value: { itemKeys: [cancelledBefore, sentOnly] } },
      key,
    );
    await engine.cancelInstance(cancelledBefore);
    await engine.cancelInstance(goneBefore);

    const completed = nextRecord(engine, batchEvent('COMPLETED'), 'COMPLETED');
    engine.runBatchOperations(stubSource(engine, keys));
    await completed;
    const items = engine.batchOperation(key)!.items;
    assert.equal(items.get(cancelledBefore)!.state, 'COMPLETED', 'sent before: NOT_FOUND means it was done');
    assert.equal(items.get(sentOnly)!.state, 'COMPLETED');
    assert.equal(items.get(neverSent)!.state, 'COMPLETED');
    assert.equal(items.get(goneBefore)!.state, 'FAILED', 'never sent: NOT_FOUND is a failure');
    assert.match(items.get(goneBefore)!.errorMessage ?? '', /not found|no such/i);
    assert.equal(engine.batchOperation(key)!.state, 'PARTIALLY_COMPLETED');
  });
});
