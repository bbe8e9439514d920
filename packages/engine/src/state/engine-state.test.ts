import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineState } from './engine-state.js';
import { bagAdd, bagRemove, bagValues } from './key-multimap.js';
import type { Bag } from './key-multimap.js';
import { ElementInstance } from './element-instance.js';
import type { ProcessInstanceRecordValue } from '../records/process-instance.js';
import { NO_VARIABLES } from '../records/variable.js';

function element(key: string, flowScopeKey: string, elementId: string): ElementInstance {
  const value: ProcessInstanceRecordValue = {
    bpmnProcessId: 'p',
    version: 1,
    processDefinitionKey: '1',
    processInstanceKey: flowScopeKey === '-1' ? key : '10',
    elementId,
    bpmnElementType: flowScopeKey === '-1' ? 'PROCESS' : 'EVENT_BASED_GATEWAY',
    flowScopeKey,
    parentProcessInstanceKey: '-1',
    parentElementInstanceKey: '-1',
  };
  return new ElementInstance(key, 'ELEMENT_ACTIVATED', value);
}

const timerValue = (owner: string, dueDate: number) => ({
  elementInstanceKey: owner,
  processInstanceKey: '10',
  processDefinitionKey: '1',
  bpmnProcessId: 'p',
  targetElementId: 'timer',
  dueDate,
  repetitions: 1,
  cycle: '',
});

const subscriptionValue = (owner: string, correlationKey: string) => ({
  elementInstanceKey: owner,
  processInstanceKey: '10',
  processDefinitionKey: '1',
  bpmnProcessId: 'p',
  targetElementId: 'msg',
  messageName: 'go',
  correlationKey,
  interrupting: true,
  messageKey: '-1',
  variables: NO_VARIABLES,
});

/** A process instance 10 with variables set before it activated, waiting at gateway 11 on a timer and a message. */
function waitingState(): EngineState {
  const state = new EngineState(1);
  state.setVariable('10', 'id', 'k1');
  state.putElementInstance(element('10', '-1', 'p'));
  state.putElementInstance(element('11', '10', 'g'));
  state.waits.putTimer('12', timerValue('11', 5_000));
  state.waits.putMessageSubscription('13', subscriptionValue('11', 'k1'));
  state.waits.putSignalSubscription('14', {
    elementInstanceKey: '11',
    processInstanceKey: '10',
    processDefinitionKey: '1',
    bpmnProcessId: 'p',
    targetElementId: 'sig',
    signalName: 'stop',
    interrupting: true,
  });
  return state;
}

const keysOf = (waits: readonly { key: string }[]) => waits.map((w) => w.key);

describe('engine state', () => {
  it('keeps children, waits and variables on the element instances', () => {
    const state = waitingState();
    assert.deepEqual(
      state.childrenOf('10').map((c) => c.key),
      ['11'],
    );
    assert.deepEqual(keysOf(state.waits.waitsOf('11')), ['12', '13', '14']);
    assert.deepEqual(state.localVariables('10'), { id: 'k1' });
    assert.equal(state.visibleVariables('11').id, 'k1');
    assert.equal(state.scopeDefining('11', 'id'), '10');
    assert.deepEqual(
      state.waits.subscriptionsFor('go', 'k1').map((s) => s.key),
      ['13'],
    );
    assert.deepEqual(state.waits.timers.get('12')?.value, timerValue('11', 5_000));
    assert.deepEqual(state.waits.messageSubscriptions.get('13')?.value, subscriptionValue('11', 'k1'));
  });

  it('unlinks a wait from the middle, the front and the end of its owner list', () => {
    const state = waitingState();
    state.waits.removeMessageSubscription('13');
    assert.deepEqual(keysOf(state.waits.waitsOf('11')), ['12', '14']);
    assert.deepEqual(state.waits.subscriptionsFor('go', 'k1'), []);
    state.waits.removeTimer('12');
    assert.deepEqual(keysOf(state.waits.waitsOf('11')), ['14']);
    state.waits.removeSignalSubscription('14');
    assert.deepEqual(keysOf(state.waits.waitsOf('11')), []);
    assert.equal(state.elementInstance('11')?.waits, undefined);
    assert.deepEqual(state.waits.signalSubscriptionsFor('stop'), []);
  });

  it('forgets a removed child and its variables', () => {
    const state = waitingState();
    state.setVariable('11', 'local', 1);
    state.removeElementInstance('11');
    assert.deepEqual(state.childrenOf('10'), []);
    assert.equal(state.localVariables('11'), undefined);
    state.putElementInstance(element('11', '10', 'g'));
    assert.equal(state.localVariables('11'), undefined, 'a new instance starts without variables');
  });

  it('keeps the size of the variables of each instance across scopes, updates, removals and a snapshot', () => {
    const state = waitingState();
    const base = state.instanceVariableBytes('10'); // the state's own `id` variable
    state.setVariable('10', 'a', 'x'.repeat(100), '10');
    assert.equal(state.instanceVariableBytes('10'), base + 'a'.length + 4 + 102);
    state.setVariable('10', 'a', 'x'.repeat(10), '10'); // an update replaces the old size
    assert.equal(state.instanceVariableBytes('10'), base + 1 + 4 + 12);
    state.setVariable('11', 'local', 'abc', '10'); // a child scope counts toward its instance
    const withLocal = state.instanceVariableBytes('10');
    assert.equal(withLocal, base + 17 + 'local'.length + 4 + '"abc"'.length);
    const restored = EngineState.fromSnapshot(1, state.toSnapshot());
    assert.equal(restored.instanceVariableBytes('10'), withLocal);
    state.removeElementInstance('11');
    assert.equal(state.instanceVariableBytes('10'), base + 17);
    state.removeElementInstance('10');
    assert.equal(state.instanceVariableBytes('10'), 0);
  });

  it('restores children, waits and variables from a snapshot that does not hold them twice', () => {
    const state = waitingState();
    state.setVariable('20', 'early', true); // a scope not activated yet
    const chunks = state.toSnapshot();
    const elements = chunks.map((c) => JSON.parse(c) as { section?: string; items?: object[] });
    const instances = elements.find((c) => c.section === 'elementInstances')!.items!;
    for (const instance of instances) {
      assert.deepEqual(
        Object.keys(instance).filter((k) => ['children', 'waits', 'variables'].includes(k)),
        [],
      );
    }
    const restored = EngineState.fromSnapshot(1, chunks);
    assert.deepEqual(restored.toSnapshot(), chunks);
    assert.deepEqual(
      restored.childrenOf('10').map((c) => c.key),
      ['11'],
    );
    assert.deepEqual(keysOf(restored.waits.waitsOf('11')), ['12', '13', '14']);
    assert.deepEqual(restored.localVariables('10'), { id: 'k1' });
    restored.putElementInstance(element('20', '10', 'g'));
    assert.deepEqual(restored.localVariables('20'), { early: true });
    assert.equal(restored.waits.subscriptionsFor('go', 'k1')[0]?.key, '13');
    assert.deepEqual(restored.dueItems(10_000, 10), [{ due: 5_000, key: '12', kind: 'TIMER' }]);
  });
});

describe('bags', () => {
  it('grow from a bare value to an array to a Set and shrink back to nothing', () => {
    let bag: Bag<string> | undefined;
    bag = bagAdd(bag, 'a');
    assert.equal(bag, 'a');
    bag = bagAdd(bag, 'a');
    assert.equal(bag, 'a', 'no duplicates');
    bag = bagAdd(bag, 'b');
    assert.deepEqual(bag, ['a', 'b']);
    for (let i = 0; i < 20; i++) bag = bagAdd(bag, `x${i}`);
    assert.ok(bag instanceof Set);
    assert.equal(bagValues(bag).length, 22);
    assert.deepEqual(bagValues(bag).slice(0, 3), ['a', 'b', 'x0'], 'insertion order');
    for (const value of bagValues(bag)) bag = bagRemove(bag, value);
    assert.equal(bag, undefined);
    assert.deepEqual(bagValues(bagRemove(bagRemove(['a', 'b'], 'a'), 'b')), []);
  });
});
