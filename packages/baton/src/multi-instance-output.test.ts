// Multi-instance output collection as Zeebe does it: when the output element is a variable (or a property
// of one), that variable is created with null in each inner instance's local scope at activation, so
// whatever the inner activity produces under that name lands there: it is collected per item and never
// leaks into the process scope.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createProcess } from '@baton-engine/builder';
import type { BuiltProcess } from '@baton-engine/builder';
import type { LoggedRecord } from '@baton-engine/engine';
import { createTestEngine } from './testing/index.js';
import type { TestEngine } from './testing/index.js';

type Loop = { sequential: boolean; outputElement?: string; inputElement?: string };

const multiInstance = ({ sequential, outputElement = '= r', inputElement = 'item' }: Loop) => ({
  inputCollection: '= items',
  inputElement,
  outputCollection: 'results',
  outputElement,
  sequential,
});

async function harnessWith(
  ...resources: (BuiltProcess | { name: string; xml: string })[]
): Promise<TestEngine> {
  const harness = await createTestEngine();
  await harness.deploy(...resources);
  return harness;
}

/** The VARIABLE events of one name, as `intent value@scope` strings. */
function variableEvents(records: readonly LoggedRecord[], name: string): string[] {
  return records
    .filter((r) => r.recordType === 'EVENT' && r.valueType === 'VARIABLE' && r.value.name === name)
    .map((r) => (r.valueType === 'VARIABLE' ? `${r.intent} ${JSON.stringify(r.value.value)}` : ''));
}

const decision = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="times-ten" name="Times ten" namespace="http://baton.dev/test">
  <decision id="tenfold" name="Tenfold"><literalExpression id="tenfoldExpr"><text>item * 10</text></literalExpression></decision>
</definitions>`;

for (const sequential of [false, true]) {
  const kind = sequential ? 'sequential' : 'parallel';

  describe(`multi-instance output element (${kind})`, () => {
    it('a script task: each item collects its own result, and the result stays local', async () => {
      const process = createProcess('script-mi')
        .startEvent('s')
        .scriptTask('times-ten', {
          expression: '= item * 10',
          resultVariable: 'r',
          multiInstance: multiInstance({ sequential }),
        })
        .endEvent('e')
        .done();
      const harness = await harnessWith(process);
      try {
        const instance = await harness.createInstance(process, { items: [1, 2, 3] });
        await harness.expectInstance(instance).toHaveCompleted();
        const variables = harness.variables(instance);
        assert.deepEqual(variables.results, [10, 20, 30]);
        assert.equal('r' in variables, false, 'r does not leak into the process scope');
        assert.deepEqual(
          variableEvents(harness.records, 'r').filter((e) => e.startsWith('CREATED')),
          ['CREATED null', 'CREATED null', 'CREATED null'],
        );
      } finally {
        await harness.close();
      }
    });

    it('a service task: the job result lands in the inner instance; an item without one collects null', async () => {
      const process = createProcess('job-mi')
        .startEvent('s')
        .serviceTask('work', { type: 'work', multiInstance: multiInstance({ sequential }) })
        .endEvent('e')
        .done();
      const harness = await harnessWith(process);
      try {
        const instance = await harness.createInstance(process, { items: [1, 2, 3] });
        await harness.completeJob('work', { r: 10 });
        await harness.completeJob('work', {}); // produces no r: Zeebe collects null, not a sibling's value
        await harness.completeJob('work', (job) => ({ r: (job.variables.item as number) * 10 }));
        await harness.expectInstance(instance).toHaveCompleted();
        const variables = harness.variables(instance);
        assert.deepEqual(variables.results, [10, null, 30]);
        assert.equal('r' in variables, false, 'r does not leak into the process scope');
      } finally {
        await harness.close();
      }
    });

    it('a nested property (= r.total): the variable r is created local and collected per item', async () => {
      const process = createProcess('nested-mi')
        .startEvent('s')
        .serviceTask('work', {
          type: 'work',
          multiInstance: multiInstance({ sequential, outputElement: '= r.total' }),
        })
        .endEvent('e')
        .done();
      const harness = await harnessWith(process);
      try {
        const instance = await harness.createInstance(process, { items: [1, 2, 3] });
        for (let i = 0; i < 3; i++)
          await harness.completeJob('work', (job) => ({ r: { total: (job.variables.item as number) * 10 } }));
        await harness.expectInstance(instance).toHaveCompleted();
        const variables = harness.variables(instance);
        assert.deepEqual(variables.results, [10, 20, 30]);
        assert.equal('r' in variables, false);
        assert.equal(variableEvents(harness.records, 'r').filter((e) => e === 'CREATED null').length, 3);
      } finally {
        await harness.close();
      }
    });

    it('output element = input element: the input is not overwritten with null, and is collected', async () => {
      const process = createProcess('same-mi')
        .startEvent('s')
        .serviceTask('work', {
          type: 'work',
          multiInstance: multiInstance({ sequential, outputElement: '= item' }),
        })
        .endEvent('e')
        .done();
      const harness = await harnessWith(process);
      try {
        const instance = await harness.createInstance(process, { items: [1, 2, 3] });
        await harness.completeJob('work', {});
        await harness.completeJob('work', (job) => ({ item: (job.variables.item as number) * 10 }));
        await harness.completeJob('work', { r: 'ignored' });
        await harness.expectInstance(instance).toHaveCompleted();
        assert.deepEqual(harness.variables(instance).results, [1, 20, 3]);
        const itemEvents = variableEvents(harness.records, 'item');
        assert.deepEqual([...itemEvents].sort(), ['CREATED 1', 'CREATED 2', 'CREATED 3', 'UPDATED 20']);
        assert.equal('item' in harness.variables(instance), false);
      } finally {
        await harness.close();
      }
    });

    it('output element = loopCounter: loopCounter is not overwritten with null', async () => {
      const process = createProcess('counter-mi')
        .startEvent('s')
        .scriptTask('noop', {
          expression: '= item',
          resultVariable: 'ignored',
          multiInstance: multiInstance({ sequential, outputElement: '= loopCounter' }),
        })
        .endEvent('e')
        .done();
      const harness = await harnessWith(process);
      try {
        const instance = await harness.createInstance(process, { items: ['a', 'b', 'c'] });
        await harness.expectInstance(instance).toHaveCompleted();
        assert.deepEqual(harness.variables(instance).results, [1, 2, 3]);
        assert.deepEqual(variableEvents(harness.records, 'loopCounter'), [
          'CREATED 1',
          'CREATED 2',
          'CREATED 3',
        ]);
      } finally {
        await harness.close();
      }
    });

    it('an expression that is not a variable creates no local variable', async () => {
      const process = createProcess('expr-mi')
        .startEvent('s')
        .scriptTask('times-ten', {
          expression: '= item * 10',
          resultVariable: 'r',
          multiInstance: multiInstance({ sequential, outputElement: '= item + 1' }),
        })
        .endEvent('e')
        .done();
      const harness = await harnessWith(process);
      try {
        const instance = await harness.createInstance(process, { items: [1, 2, 3] });
        await harness.expectInstance(instance).toHaveCompleted();
        assert.deepEqual(harness.variables(instance).results, [2, 3, 4]);
        assert.equal(
          harness.records.some(
            (r) => r.valueType === 'VARIABLE' && r.recordType === 'EVENT' && r.value.value === null,
          ),
          false,
          'no variable is created with null',
        );
      } finally {
        await harness.close();
      }
    });

    it('an embedded sub-process: a task inside sets r in its inner instance', async () => {
      const process = createProcess('sub-mi')
        .startEvent('s')
        .subProcess('each', { multiInstance: multiInstance({ sequential }) }, (sub) =>
          sub
            .startEvent('in')
            .scriptTask('times-ten', { expression: '= item * 10', resultVariable: 'r' })
            .endEvent('out'),
        )
        .endEvent('e')
        .done();
      const harness = await harnessWith(process);
      try {
        const instance = await harness.createInstance(process, { items: [1, 2, 3] });
        await harness.expectInstance(instance).toHaveCompleted();
        const variables = harness.variables(instance);
        assert.deepEqual(variables.results, [10, 20, 30]);
        assert.equal('r' in variables, false);
      } finally {
        await harness.close();
      }
    });

    it('a call activity: the called process result lands in the inner instance', async () => {
      const child = createProcess('times-ten-child')
        .startEvent('in')
        .scriptTask('times-ten', { expression: '= item * 10', resultVariable: 'r' })
        .endEvent('out')
        .done();
      const process = createProcess('call-mi')
        .startEvent('s')
        .callActivity('call', { processId: 'times-ten-child', multiInstance: multiInstance({ sequential }) })
        .endEvent('e')
        .done();
      const harness = await harnessWith(child, process);
      try {
        const instance = await harness.createInstance(process, { items: [1, 2, 3] });
        await harness.expectInstance(instance).toHaveCompleted();
        const variables = harness.variables(instance);
        assert.deepEqual(variables.results, [10, 20, 30]);
        assert.equal('r' in variables, false);
      } finally {
        await harness.close();
      }
    });

    it('a business rule task: the decision result lands in the inner instance', async () => {
      const process = createProcess('rule-mi')
        .startEvent('s')
        .businessRuleTask('decide', {
          decisionId: 'tenfold',
          resultVariable: 'r',
          multiInstance: multiInstance({ sequential }),
        })
        .endEvent('e')
        .done();
      const harness = await harnessWith({ name: 'tenfold.dmn', xml: decision }, process);
      try {
        const instance = await harness.createInstance(process, { items: [1, 2, 3] });
        await harness.expectInstance(instance).toHaveCompleted();
        const variables = harness.variables(instance);
        assert.deepEqual(variables.results, [10, 20, 30]);
        assert.equal('r' in variables, false);
      } finally {
        await harness.close();
      }
    });

    it('a user task: the completion variables land in the inner instance', async () => {
      const process = createProcess('user-mi')
        .startEvent('s')
        .userTask('review', { multiInstance: multiInstance({ sequential }) })
        .endEvent('e')
        .done();
      const harness = await harnessWith(process);
      try {
        const instance = await harness.createInstance(process, { items: [1, 2, 3] });
        for (let i = 0; i < 3; i++) {
          // oldest first: the tasks are created in item order
          const [task] = harness.engine.userTasks();
          await harness.engine.completeUserTask(task!.key, { r: (i + 1) * 10 });
          await harness.waitForIdle();
        }
        await harness.expectInstance(instance).toHaveCompleted();
        const variables = harness.variables(instance);
        assert.deepEqual(variables.results, [10, 20, 30]);
        assert.equal('r' in variables, false);
      } finally {
        await harness.close();
      }
    });

    it('output mappings of the activity write to the inner instance, as Zeebe does', async () => {
      const process = createProcess('mapped-mi')
        .startEvent('s')
        .serviceTask('work', {
          type: 'work',
          outputs: [{ source: '= answer * 10', target: 'r' }],
          multiInstance: multiInstance({ sequential }),
        })
        .endEvent('e')
        .done();
      const harness = await harnessWith(process);
      try {
        const instance = await harness.createInstance(process, { items: [1, 2, 3] });
        for (let i = 0; i < 3; i++)
          await harness.completeJob('work', (job) => ({ answer: job.variables.item }));
        await harness.expectInstance(instance).toHaveCompleted();
        const variables = harness.variables(instance);
        assert.deepEqual(variables.results, [10, 20, 30]);
        assert.equal('r' in variables, false);
      } finally {
        await harness.close();
      }
    });
  });
}
