import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canTransition, commandApplies, lifecycleRejection } from './element-lifecycle.js';
import type { LifecycleIntent, LifecycleState } from './element-lifecycle.js';

const STATES: LifecycleState[] = [
  'NONE',
  'ELEMENT_ACTIVATING',
  'ELEMENT_ACTIVATED',
  'ELEMENT_COMPLETING',
  'ELEMENT_TERMINATING',
];

/** Every allowed (from, to) pair, written out once more by hand. */
const LEGAL = new Set([
  'NONE>ELEMENT_ACTIVATING',
  'ELEMENT_ACTIVATING>ELEMENT_ACTIVATED',
  'ELEMENT_ACTIVATED>ELEMENT_COMPLETING',
  'ELEMENT_COMPLETING>ELEMENT_COMPLETED',
  'ELEMENT_ACTIVATING>ELEMENT_TERMINATING',
  'ELEMENT_ACTIVATED>ELEMENT_TERMINATING',
  'ELEMENT_COMPLETING>ELEMENT_TERMINATING',
  'ELEMENT_TERMINATING>ELEMENT_TERMINATED',
]);

describe('element lifecycle transition table', () => {
  it('allows exactly ACTIVATING → ACTIVATED → COMPLETING → COMPLETED and TERMINATING → TERMINATED', () => {
    const intents: LifecycleIntent[] = [
      'ELEMENT_ACTIVATING',
      'ELEMENT_ACTIVATED',
      'ELEMENT_COMPLETING',
      'ELEMENT_COMPLETED',
      'ELEMENT_TERMINATING',
      'ELEMENT_TERMINATED',
    ];
    for (const from of STATES)
      for (const to of intents)
        assert.equal(canTransition(from, to), LEGAL.has(`${from}>${to}`), `${from} → ${to}`);
  });

  it('lets activate and complete run their hook again in the state they lead to (a resolved incident)', () => {
    assert.ok(commandApplies('ACTIVATE_ELEMENT', 'NONE'));
    assert.ok(commandApplies('ACTIVATE_ELEMENT', 'ELEMENT_ACTIVATING'));
    assert.ok(!commandApplies('ACTIVATE_ELEMENT', 'ELEMENT_ACTIVATED'));
    assert.ok(commandApplies('COMPLETE_ELEMENT', 'ELEMENT_ACTIVATED'));
    assert.ok(commandApplies('COMPLETE_ELEMENT', 'ELEMENT_COMPLETING'));
    assert.ok(!commandApplies('COMPLETE_ELEMENT', 'ELEMENT_ACTIVATING'));
    assert.ok(!commandApplies('COMPLETE_ELEMENT', 'ELEMENT_TERMINATING'));
    assert.ok(!commandApplies('TERMINATE_ELEMENT', 'ELEMENT_TERMINATING'));
    assert.ok(!commandApplies('TERMINATE_ELEMENT', 'NONE'));
  });

  it('names the instance, what was expected and what was found', () => {
    assert.deepEqual(lifecycleRejection('TERMINATE_ELEMENT', '42', 'task', 'NONE'), {
      type: 'NOT_FOUND',
      reason:
        "Expected to terminate element instance '42' of 'task' (to be ELEMENT_ACTIVATING or ELEMENT_ACTIVATED or ELEMENT_COMPLETING), but it does not exist",
    });
    assert.deepEqual(lifecycleRejection('COMPLETE_ELEMENT', '42', 'task', 'ELEMENT_TERMINATING'), {
      type: 'INVALID_STATE',
      reason:
        "Expected to complete element instance '42' of 'task' (to be ELEMENT_ACTIVATED or ELEMENT_COMPLETING), but it is ELEMENT_TERMINATING",
    });
  });
});
