import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { completed, memoryEngine, trail, waitFor } from './test-support/fixture.js';
import { boundary, chain, end, flow, model, multiTask, start } from './test-support/event-models.js';
import { stateOf } from './internal.js';

const loop =
  'inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=result"';

describe('multi-instance', () => {
  it('parallel: one job per item, results collected in item order', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(
      model('fanout', [start('s'), multiTask('each', 'square', loop), end('e'), ...chain('s', 'each', 'e')]),
    );
    const seen: number[] = [];
    engine.createWorker({
      type: 'square',
      handler: async (job) => {
        seen.push(job.variables.loopCounter as number);
        await new Promise((resolve) => setTimeout(resolve, (5 - (job.variables.item as number)) * 5));
        return { result: (job.variables.item as number) ** 2 };
      },
    });
    const result = await engine.createInstanceWithResult('fanout', { items: [1, 2, 3, 4] });
    assert.deepEqual(result.variables.results, [1, 4, 9, 16]);
    assert.deepEqual([...seen].sort(), [1, 2, 3, 4]);
    await engine.close();
  });

  it('sequential: one item after the other; an empty collection completes at once', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(
      model('seq', [
        start('s'),
        multiTask('each', 'step', loop, { sequential: true }),
        end('e'),
        ...chain('s', 'each', 'e'),
      ]),
    );
    let active = 0;
    let maxActive = 0;
    engine.createWorker({
      type: 'step',
      handler: async (job) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((resolve) => setTimeout(resolve, 2));
        active -= 1;
        return { result: `${job.variables.item}!` };
      },
    });
    const result = await engine.createInstanceWithResult('seq', { items: ['a', 'b', 'c'] });
    assert.deepEqual(result.variables.results, ['a!', 'b!', 'c!']);
    assert.equal(maxActive, 1);
    const empty = await engine.createInstanceWithResult('seq', { items: [] });
    assert.deepEqual(empty.variables.results, []);
    await engine.close();
  });

  it('a completion condition ends the body early and terminates the other instances', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      model('first', [
        start('s'),
        multiTask('ask', 'ask', loop, { completion: 'result = "yes"' }),
        end('e'),
        ...chain('s', 'ask', 'e'),
      ]),
    );
    const instance = await engine.createInstance('first', { items: ['p', 'q', 'r'] });
    const jobs = await engine.activateJobs({
      type: 'ask',
      worker: 'w',
      timeout: 60_000,
      maxJobsToActivate: 3,
    });
    assert.equal(jobs.length, 3);
    await engine.completeJob(jobs[0]!.key, { result: 'no' });
    await engine.completeJob(jobs[1]!.key, { result: 'yes' });
    await waitFor(() => completed(records, instance.processInstanceKey), 'early completion');
    assert.equal(
      trail(records, instance.processInstanceKey).filter((t) => t === 'ask:ELEMENT_TERMINATED').length,
      1,
    );
    await engine.close();
  });

  it('an input collection that is not a list is an incident naming the element', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(
      model('bad', [start('s'), multiTask('each', 'x', loop), end('e'), ...chain('s', 'each', 'e')]),
    );
    await engine.createInstance('bad', { items: 'not a list' });
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.equal(incident?.value.elementId, 'each');
    assert.match(incident!.value.errorMessage, /'items' to be 'ARRAY', but was 'STRING'/);
    await engine.close();
  });

  it('a boundary event on a multi-instance activity interrupts all instances', async () => {
    const { engine, clock, records } = await memoryEngine();
    await engine.deploy(
      model('timed', [
        start('s'),
        multiTask('each', 'slow', loop),
        boundary('late', 'each', { timer: 'duration', value: 'PT1H' }),
        end('e'),
        end('timedOut'),
        ...chain('s', 'each', 'e'),
        flow('late', 'timedOut'),
      ]),
    );
    const instance = await engine.createInstance('timed', { items: [1, 2] });
    assert.equal(stateOf(engine).waits.timers.size, 1, 'one timer, on the body');
    clock.advance(3_600_000);
    await waitFor(() => completed(records, instance.processInstanceKey), 'the boundary');
    assert.equal(
      trail(records, instance.processInstanceKey).filter((t) => t === 'each:ELEMENT_TERMINATED').length,
      3,
    );
    assert.equal(stateOf(engine).counts.jobs, 0);
    await engine.close();
  });
});
