import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { memoryEngine } from '../test-support/fixture.js';
import { chain, end, model, serviceTask, start, subProcess } from '../test-support/event-models.js';
import { partitionOf, stateOf } from '../internal.js';

/** O: a multi-instance sub-process (two inner instances wait at 'w'); S inside O holds the task 't'. */
const xml = model('nested', [
  start('s'),
  {
    xml: `<bpmn:subProcess id="O"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2]" inputElement="n"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`,
  },
  start('os'),
  serviceTask('w', 'w'),
  subProcess('S', [start('ss'), serviceTask('t', 't'), end('se'), ...chain('ss', 't', 'se')]),
  end('oe'),
  ...chain('os', 'w', 'S', 'oe'),
  { xml: '</bpmn:subProcess>' },
  end('e'),
  ...chain('s', 'O', 'e'),
]);

describe('modification: variables for a created sub-process', () => {
  it('go to the sub-process created for that instruction, not to one created for another', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(xml);
    const instance = await engine.createInstance('nested');
    const waiting = await engine.activateJobs({
      type: 'w',
      worker: 't',
      timeout: 60_000,
      maxJobsToActivate: 2,
    });
    assert.equal(waiting.length, 2);
    const state = stateOf(engine);
    const innerOf = (job: (typeof waiting)[number]) =>
      state.elementInstance(job.elementInstanceKey)!.value.flowScopeKey;
    const [o1, o2] = waiting.map(innerOf);
    await partitionOf(engine).submit({
      valueType: 'PROCESS_INSTANCE_MODIFICATION',
      intent: 'MODIFY',
      value: {
        processInstanceKey: instance.processInstanceKey,
        activateInstructions: [
          {
            elementId: 't',
            ancestorElementInstanceKey: o1!,
            variableInstructions: [{ scopeId: 'S', variables: { x: 'for O1' } }],
          },
          {
            elementId: 't',
            ancestorElementInstanceKey: o2!,
            variableInstructions: [{ scopeId: 'S', variables: { x: 'for O2' } }],
          },
        ],
        terminateInstructions: [],
      },
    } as never);
    const jobs = await engine.activateJobs({ type: 't', worker: 't', timeout: 60_000, maxJobsToActivate: 2 });
    const seen = jobs
      .map((j) => {
        const s = state.elementInstance(j.elementInstanceKey)!.value.flowScopeKey;
        const o = state.elementInstance(s)!.value.flowScopeKey;
        return { o: o === o1 ? 'O1' : o === o2 ? 'O2' : o, x: j.variables.x };
      })
      .sort((a, b) => String(a.o).localeCompare(String(b.o)));
    await engine.close();
    assert.deepEqual(seen, [
      { o: 'O1', x: 'for O1' },
      { o: 'O2', x: 'for O2' },
    ]);
  });
});
