import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BuilderError, createProcess } from './index.js';
import type { ServiceTaskOptions } from './index.js';

/** Asserts that `build` throws a BuilderError about `elementId` whose message matches `pattern`. */
function throwsBuilderError(build: () => unknown, elementId: string, pattern: RegExp): void {
  assert.throws(build, (error: unknown) => {
    assert.ok(error instanceof BuilderError, `a BuilderError, got ${String(error)}`);
    assert.equal(error.name, 'BuilderError');
    assert.equal(error.elementId, elementId);
    assert.ok(error.message.includes(`'${elementId}'`), `the message names '${elementId}': ${error.message}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('build errors', () => {
  describe('ids', () => {
    it('rejects a duplicate element id', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').task('a').task('a'),
        'a',
        /duplicate id 'a': already used by a task/,
      );
    });

    it('rejects an element reusing a sequence flow id or the process id', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').sequenceFlowId('f').task('a').task('f'),
        'f',
        /duplicate id 'f': already used by a sequence flow/,
      );
      throwsBuilderError(() => createProcess('p').startEvent('p'), 'p', /already used by a process/);
      throwsBuilderError(
        () => createProcess('p').startEvent('s').sequenceFlowId('a').task('a'),
        'a',
        /duplicate id 'a': already chosen for the sequence flow into it/,
      );
    });

    it('rejects a sequence flow id that is taken', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').sequenceFlowId('s'),
        's',
        /duplicate id 's'/,
      );
    });

    it('rejects an id that is not an XML name', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('1st'),
        '1st',
        /invalid id '1st' for a start event/,
      );
      throwsBuilderError(() => createProcess('p').startEvent('s').task('a b'), 'a b', /invalid id/);
    });
  });

  describe('gateways', () => {
    it('rejects an exclusive gateway without outgoing flows', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').exclusiveGateway('g').done(),
        'g',
        /exclusive gateway 'g' has no outgoing sequence flow/,
      );
    });

    it('rejects a parallel gateway without outgoing flows', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').parallelGateway('fork').done(),
        'fork',
        /parallel gateway 'fork' has no outgoing sequence flow/,
      );
    });

    it('rejects a condition on a flow leaving a parallel gateway', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').parallelGateway('fork').condition('= x > 5'),
        'fork',
        /condition on a flow leaving parallel gateway 'fork' is not allowed/,
      );
    });

    it('rejects a condition on a flow leaving a task', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').task('a').condition('= x'),
        'a',
        /condition on a flow leaving task 'a'/,
      );
    });

    it('rejects a default flow on a non-gateway', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').serviceTask('work', { type: 't' }).defaultFlow(),
        'work',
        /default flow on service task 'work' is not allowed/,
      );
      throwsBuilderError(
        () => createProcess('p').startEvent('s').parallelGateway('fork').defaultFlow(),
        'fork',
        /default flow on parallel gateway 'fork'/,
      );
    });

    it('rejects a second default flow and a default flow with a condition', () => {
      throwsBuilderError(
        () =>
          createProcess('p')
            .startEvent('s')
            .exclusiveGateway('g')
            .defaultFlow()
            .endEvent('a')
            .moveToNode('g')
            .defaultFlow(),
        'g',
        /'g' already has a default flow \('Flow_g_a'\)/,
      );
      throwsBuilderError(
        () => createProcess('p').startEvent('s').exclusiveGateway('g').condition('= x').defaultFlow(),
        'g',
        /default flow of 'g' cannot also have a condition/,
      );
    });

    it('rejects an exclusive branch with neither a condition nor the default flag (Zeebe would)', () => {
      throwsBuilderError(
        () =>
          createProcess('p')
            .startEvent('s')
            .exclusiveGateway('g')
            .condition('= x')
            .endEvent('a')
            .moveToNode('g')
            .endEvent('b')
            .done(),
        'g',
        /each needs a condition or must be the default flow; 'Flow_g_b' has neither/,
      );
    });

    it('rejects moveToLastGateway when no gateway precedes', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').task('a').moveToLastGateway(),
        'a',
        /no unique gateway before 'a'/,
      );
    });
  });

  describe('references', () => {
    it('rejects connectTo an unknown id', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').task('a').connectTo('nowhere'),
        'nowhere',
        /connectTo\('nowhere'\): no element with id 'nowhere' exists yet/,
      );
    });

    it('rejects moveToNode to an unknown id', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').moveToNode('nowhere'),
        'nowhere',
        /moveToNode\('nowhere'\): no element with id 'nowhere'/,
      );
    });

    it('rejects a flow into a start event', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').task('a').connectTo('s'),
        's',
        /cannot connect 'a' to start event 's': it takes no incoming flow/,
      );
    });

    it('rejects a flow out of an end event', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').endEvent('e').task('more'),
        'e',
        /cannot continue from end event 'e' to 'more'/,
      );
    });

    it('rejects flow options that no flow uses', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').exclusiveGateway('g').condition('= x').done(),
        'g',
        /condition '= x' was set after 'g' but no flow follows it/,
      );
      throwsBuilderError(
        () => createProcess('p').startEvent('s').exclusiveGateway('g').condition('= x').moveToNode('s'),
        'g',
        /moveToNode\('s'\): the condition '= x' set after 'g' would be lost/,
      );
    });
  });

  describe('the whole graph', () => {
    it('rejects a process without a start event', () => {
      throwsBuilderError(
        () => createProcess('p').task('a').endEvent('e').done(),
        'p',
        /'p' has no start event/,
      );
    });

    it('rejects an element nothing leads to', () => {
      throwsBuilderError(
        () => createProcess('p').task('orphan').startEvent('s').endEvent('e').done(),
        'orphan',
        /task 'orphan' cannot be reached: no path leads to it from a start event/,
      );
    });

    it('rejects a cycle nothing leads into, although each of its elements has an incoming flow', () => {
      throwsBuilderError(
        () => createProcess('p').task('a').task('b').connectTo('a').startEvent('s').endEvent('e').done(),
        'a',
        /task 'a' cannot be reached.*task 'b' cannot be reached/,
      );
    });

    it('rejects a second none start event, which Zeebe does not allow', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').endEvent('e').startEvent('s2').endEvent('e2').done(),
        's2',
        /'p' has several none start events \('s', 's2'\)/,
      );
    });

    it('lists every problem at once', () => {
      assert.throws(
        () =>
          createProcess('p')
            .startEvent('s')
            .parallelGateway('g1')
            .moveToNode('s')
            .exclusiveGateway('g2')
            .done(),
        /process 'p' cannot be built: parallel gateway 'g1' has no outgoing sequence flow; exclusive gateway 'g2' has no outgoing sequence flow/,
      );
    });
  });

  describe('options', () => {
    it('rejects a service task without a job type', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').serviceTask('t', { type: '' }),
        't',
        /job type of 't' must be a non-empty string/,
      );
      throwsBuilderError(
        () =>
          createProcess('p')
            .startEvent('s')
            .serviceTask('t', {} as ServiceTaskOptions),
        't',
        /job type/,
      );
    });

    it('rejects invalid retries', () => {
      throwsBuilderError(
        () => createProcess('p').startEvent('s').serviceTask('t', { type: 'x', retries: -1 }),
        't',
        /retries of 't' must be a non-negative integer/,
      );
    });

    it('rejects an empty mapping target and an empty script', () => {
      throwsBuilderError(
        () =>
          createProcess('p')
            .startEvent('s')
            .serviceTask('t', { type: 'x', inputs: [{ source: '= a', target: '' }] }),
        't',
        /target of input 1 of 't'/,
      );
      throwsBuilderError(
        () => createProcess('p').startEvent('s').scriptTask('calc', { expression: '=', resultVariable: 'r' }),
        'calc',
        /script of 'calc' is empty/,
      );
    });
  });
});
