import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EngineState, StreamProcessor } from '@baton-engine/engine';
import type { Part } from './test-support/event-models.js';
import {
  boundary,
  chain,
  end,
  flow,
  model,
  serviceTask,
  start,
  subProcess,
  task,
} from './test-support/event-models.js';
import { activateOne, completed, memoryEngine, trail, waitFor } from './test-support/fixture.js';
import { stateOf } from './internal.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** An ad-hoc sub-process; `collection` and `condition` are FEEL expressions with their "=". */
function adHoc(
  id: string,
  parts: readonly Part[],
  opts: {
    collection?: string;
    condition?: string;
    cancelRemaining?: boolean;
    output?: { collection: string; element: string };
    extra?: string;
  } = {},
): Part {
  const zeebe =
    opts.collection || opts.output
      ? `<zeebe:adHoc${opts.collection ? ` activeElementsCollection="${esc(opts.collection)}"` : ''}${opts.output ? ` outputCollection="${opts.output.collection}" outputElement="${esc(opts.output.element)}"` : ''}/>`
      : '';
  const ext =
    zeebe || opts.extra ? `<bpmn:extensionElements>${zeebe}${opts.extra ?? ''}</bpmn:extensionElements>` : '';
  const condition = opts.condition
    ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${esc(opts.condition)}</bpmn:completionCondition>`
    : '';
  return {
    xml: `<bpmn:adHocSubProcess id="${id}"${opts.cancelRemaining === false ? ' cancelRemainingInstances="false"' : ''}>${ext}${parts.map((p) => p.xml).join('')}${condition}</bpmn:adHocSubProcess>`,
    roots: parts
      .map((p) => p.roots ?? '')
      .filter(Boolean)
      .join('\n'),
  };
}

/** s → ad-hoc → e, the ad-hoc holding service tasks a, b, c (job types the same as their ids). */
function around(parts: readonly Part[], opts: Parameters<typeof adHoc>[2] = {}, extra: readonly Part[] = []) {
  return model('p', [start('s'), adHoc('ah', parts, opts), end('e'), ...chain('s', 'ah', 'e'), ...extra]);
}
const abc = [serviceTask('a', 'a'), serviceTask('b', 'b'), serviceTask('c', 'c')];

describe('ad-hoc sub-process', () => {
  it('activates the elements the collection names, each in an inner instance, and completes when none is active', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(around(abc, { collection: '=toDo' }));
    const instance = await engine.createInstance('p', { toDo: ['a', 'c'] });
    const a = await activateOne(engine, 'a');
    const c = await activateOne(engine, 'c');
    assert.deepEqual(
      await engine.activateJobs({ type: 'b', worker: 'w', timeout: 1000, maxJobsToActivate: 1 }),
      [],
    );
    await engine.completeJob(a.key, { fromA: 1 });
    assert.ok(!completed(records, instance.processInstanceKey), 'c is still active');
    await engine.completeJob(c.key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    const events = trail(records, instance.processInstanceKey);
    assert.equal(events.filter((t) => t === 'ah#innerInstance:ELEMENT_ACTIVATED').length, 2);
    assert.equal(events.filter((t) => t === 'ah#innerInstance:ELEMENT_COMPLETED').length, 2);
    assert.ok(events.indexOf('ah:ELEMENT_COMPLETED') > events.lastIndexOf('c:ELEMENT_COMPLETED'));
    const inner = records.find(
      (r) =>
        r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'a' && r.intent === 'ELEMENT_ACTIVATING',
    );
    const scope = records.find((r) => r.key === (inner?.value as { flowScopeKey: string }).flowScopeKey);
    assert.equal(
      (scope?.value as { bpmnElementType: string }).bpmnElementType,
      'AD_HOC_SUB_PROCESS_INNER_INSTANCE',
    );
    await engine.close();
  });

  it('without a collection nothing is activated and the sub-process stays active', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(around(abc));
    const instance = await engine.createInstance('p');
    await engine.flush();
    const events = trail(records, instance.processInstanceKey);
    assert.ok(events.includes('ah:ELEMENT_ACTIVATED'));
    assert.ok(!events.some((t) => t.startsWith('ah#innerInstance')));
    const variables = stateOf(engine).localVariables(
      records.find((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'ah')!.key,
    );
    assert.deepEqual(
      (variables?.adHocSubProcessElements as { elementId: string }[]).map((e) => e.elementId),
      ['a', 'b', 'c'],
    );
    await engine.close();
  });

  it('adHocSubProcessElements carries the name, documentation and properties of each activatable element', async () => {
    const { engine, records } = await memoryEngine();
    const documented: Part = {
      xml: '<bpmn:task id="t" name="Look up"><bpmn:documentation>Finds a user</bpmn:documentation><bpmn:extensionElements><zeebe:properties><zeebe:property name="kind" value="lookup"/></zeebe:properties></bpmn:extensionElements></bpmn:task>',
    };
    await engine.deploy(around([documented, serviceTask('a', 'a')]));
    await engine.createInstance('p');
    const adHocKey = records.find(
      (r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'ah',
    )!.key;
    const variables = stateOf(engine).localVariables(adHocKey);
    assert.deepEqual(variables?.adHocSubProcessElements, [
      {
        elementId: 't',
        elementName: 'Look up',
        documentation: 'Finds a user',
        properties: { kind: 'lookup' },
        parameters: [],
      },
      { elementId: 'a', elementName: '', documentation: '', properties: {}, parameters: [] },
    ]);
    await engine.close();
  });

  it('a completion condition that holds terminates the remaining instances (cancelRemainingInstances default)', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(around(abc, { collection: '=["a","b"]', condition: '=done = true' }));
    const instance = await engine.createInstance('p', { done: false });
    const a = await activateOne(engine, 'a');
    await activateOne(engine, 'b');
    await engine.completeJob(a.key, { done: true });
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    const events = trail(records, instance.processInstanceKey);
    assert.ok(events.includes('b:ELEMENT_TERMINATED'));
    assert.ok(events.indexOf('ah:ELEMENT_COMPLETED') > events.indexOf('b:ELEMENT_TERMINATED'));
    await engine.close();
  });

  it('with cancelRemainingInstances="false" it waits for the active instances', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      around(abc, { collection: '=["a","b"]', condition: '=done', cancelRemaining: false }),
    );
    const instance = await engine.createInstance('p', { done: false });
    const a = await activateOne(engine, 'a');
    const b = await activateOne(engine, 'b');
    await engine.completeJob(a.key, { done: true });
    await engine.flush();
    assert.ok(!completed(records, instance.processInstanceKey), 'b still runs');
    await engine.completeJob(b.key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    assert.ok(!trail(records, instance.processInstanceKey).includes('b:ELEMENT_TERMINATED'));
    await engine.close();
  });

  it('a completion condition that does not hold keeps the sub-process active', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(around(abc, { collection: '=["a"]', condition: '=false' }));
    const instance = await engine.createInstance('p');
    await engine.completeJob((await activateOne(engine, 'a')).key);
    await engine.flush();
    const events = trail(records, instance.processInstanceKey);
    assert.ok(events.includes('ah#innerInstance:ELEMENT_COMPLETED'));
    assert.ok(!events.includes('ah:ELEMENT_COMPLETING'));
    await engine.close();
  });

  it('inner sequence flows continue within the activation', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(around([...abc, flow('a', 'b')], { collection: '=["a"]' }));
    const instance = await engine.createInstance('p');
    await engine.completeJob((await activateOne(engine, 'a')).key);
    const b = await activateOne(engine, 'b');
    assert.ok(!completed(records, instance.processInstanceKey));
    await engine.completeJob(b.key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    const events = trail(records, instance.processInstanceKey);
    assert.equal(events.filter((t) => t === 'ah#innerInstance:ELEMENT_ACTIVATED').length, 1);
    await engine.close();
  });

  it('an unknown element id in the collection is an incident naming it', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(around(abc, { collection: '=["a","x"]' }));
    await engine.createInstance('p');
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.equal(incident?.value.elementId, 'ah');
    assert.equal(incident?.value.errorType, 'EXTRACT_VALUE_ERROR');
    assert.match(incident!.value.errorMessage, /No BPMN elements found with ids: 'x'/);
    await engine.close();
  });

  it('a collection that is not a list of strings is an incident', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(around(abc, { collection: '=toDo' }));
    await engine.createInstance('p', { toDo: 'a' });
    const [incident] = [...stateOf(engine).openIncidents()];
    assert.match(incident!.value.errorMessage, /Failed to activate ad-hoc elements.*'ARRAY'/);
    await engine.close();
  });

  it('an interrupting boundary event terminates the sub-process and what runs in it', async () => {
    const { engine, clock, records } = await memoryEngine();
    await engine.deploy(
      around(abc, { collection: '=["a","b"]' }, [
        boundary('late', 'ah', { timer: 'duration', value: 'PT1H' }),
        end('timedOut'),
        flow('late', 'timedOut'),
      ]),
    );
    const instance = await engine.createInstance('p');
    clock.advance(3_600_000);
    await waitFor(() => completed(records, instance.processInstanceKey), 'the boundary');
    const events = trail(records, instance.processInstanceKey);
    for (const t of [
      'a:ELEMENT_TERMINATED',
      'b:ELEMENT_TERMINATED',
      'ah:ELEMENT_TERMINATED',
      'timedOut:ELEMENT_COMPLETED',
    ])
      assert.ok(events.includes(t), t);
    await engine.close();
  });

  it('an interrupting event sub-process inside terminates the activations; the sub-process completes after it', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(
      around(
        [
          ...abc,
          subProcess(
            'stop',
            [
              start('stop-start', { message: 'stop', key: '=id' }),
              serviceTask('wrap', 'wrap'),
              flow('stop-start', 'wrap'),
            ],
            {
              triggeredByEvent: true,
            },
          ),
        ],
        { collection: '=["a","b"]' },
      ),
    );
    const instance = await engine.createInstance('p', { id: 'i-1' });
    await engine.publishMessage('stop', 'i-1');
    await engine.completeJob((await activateOne(engine, 'wrap')).key);
    await waitFor(
      () => completed(records, instance.processInstanceKey),
      'completion after the event sub-process',
    );
    const events = trail(records, instance.processInstanceKey);
    for (const t of [
      'a:ELEMENT_TERMINATED',
      'b:ELEMENT_TERMINATED',
      'stop:ELEMENT_COMPLETED',
      'ah:ELEMENT_COMPLETED',
    ])
      assert.ok(events.includes(t), t);
    await engine.close();
  });

  it('cancelling the instance terminates the inner instances', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(around(abc, { collection: '=["a"]' }));
    const instance = await engine.createInstance('p');
    await engine.cancelInstance(instance.processInstanceKey);
    const events = trail(records, instance.processInstanceKey);
    for (const t of [
      'a:ELEMENT_TERMINATED',
      'ah#innerInstance:ELEMENT_TERMINATED',
      'ah:ELEMENT_TERMINATED',
      'p:ELEMENT_TERMINATED',
    ])
      assert.ok(events.includes(t), t);
    assert.equal(stateOf(engine).elementInstance(instance.processInstanceKey), undefined);
    await engine.close();
  });

  it('variables: input mappings before the collection; output collection gathers each activation', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(
      around(abc, {
        collection: '=toDo',
        output: { collection: 'results', element: '=result' },
        extra:
          '<zeebe:ioMapping><zeebe:input source="=[&quot;a&quot;,&quot;b&quot;]" target="toDo"/></zeebe:ioMapping>',
      }),
    );
    engine.createWorker({ type: 'a', handler: async () => ({ result: 'from a' }) });
    engine.createWorker({ type: 'b', handler: async () => ({ result: 'from b' }) });
    const result = await engine.createInstanceWithResult('p', { toDo: ['c'] });
    assert.deepEqual([...(result.variables.results as string[])].sort(), ['from a', 'from b']);
    assert.equal(result.variables.result, undefined, 'results stay in their activation');
    await engine.close();
  });

  it('the activation command activates elements later, with variables local to their activation', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(around(abc, { output: { collection: 'results', element: '=input' } }));
    const instance = await engine.createInstance('p');
    const adHocKey = records.find(
      (r) =>
        r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'ah' && r.intent === 'ELEMENT_ACTIVATED',
    )!.key;
    await engine.activateAdHocSubProcessActivities(adHocKey, [
      { elementId: 'a', variables: { input: 1 } },
      { elementId: 'b', variables: { input: 2 } },
    ]);
    const a = await activateOne(engine, 'a');
    assert.equal(a.variables.input, 1);
    await engine.completeJob(a.key);
    await engine.activateAdHocSubProcessActivities(adHocKey, [{ elementId: 'a', variables: { input: 3 } }]);
    await engine.completeJob((await activateOne(engine, 'b')).key);
    await engine.completeJob((await activateOne(engine, 'a')).key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    const state = stateOf(engine);
    assert.equal(state.elementInstance(instance.processInstanceKey), undefined);
    const results = records.flatMap((r) =>
      r.valueType === 'VARIABLE' &&
      r.value.name === 'results' &&
      r.value.scopeKey === instance.processInstanceKey
        ? [r.value.value]
        : [],
    );
    assert.deepEqual(results.at(-1), [1, 2, 3]);
    await engine.close();
  });

  it('the activation command is refused for unknown elements, duplicates and other element instances', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(around([...abc, flow('a', 'b')]));
    const instance = await engine.createInstance('p');
    const adHocKey = records.find(
      (r) =>
        r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'ah' && r.intent === 'ELEMENT_ACTIVATED',
    )!.key;
    await assert.rejects(
      engine.activateAdHocSubProcessActivities(adHocKey, [{ elementId: 'x' }, { elementId: 'b' }]),
      /the given elements \[x, b\] do not exist/,
    );
    await assert.rejects(
      engine.activateAdHocSubProcessActivities(adHocKey, [{ elementId: 'a' }, { elementId: 'a' }]),
      /duplicate activities/,
    );
    await assert.rejects(
      engine.activateAdHocSubProcessActivities(instance.processInstanceKey, [{ elementId: 'a' }]),
      /no ad-hoc sub-process instance found with key/,
    );
    await engine.close();
  });

  it('a migration moves the inner instances with the ad-hoc sub-process they belong to', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(around(abc, { collection: '=["a"]' }));
    const instance = await engine.createInstance('p');
    const v2 = await engine.deploy(around([serviceTask('a', 'a2'), task('b')], { collection: '=["a"]' }));
    await engine.migrateInstance(instance.processInstanceKey, v2.processes[0]!.processDefinitionKey, {
      ah: 'ah',
      a: 'a',
    });
    await engine.completeJob((await activateOne(engine, 'a')).key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion on v2');
    await engine.close();
  });

  it('a modification activates an inner element in a new activation of the active ad-hoc sub-process', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(around(abc, { collection: '=["a"]' }));
    const instance = await engine.createInstance('p');
    await engine.modifyInstance(instance.processInstanceKey, {
      activate: [{ elementId: 'c', variables: { x: 1 } }],
    });
    const c = await activateOne(engine, 'c');
    assert.equal(c.variables.x, 1);
    const events = trail(records, instance.processInstanceKey);
    assert.equal(events.filter((t) => t === 'ah#innerInstance:ELEMENT_ACTIVATED').length, 2);
    await engine.completeJob(c.key);
    await engine.completeJob((await activateOne(engine, 'a')).key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    await engine.close();
  });

  it('a multi-instance ad-hoc sub-process runs one per item, each activating its own elements', async () => {
    const { engine, records } = await memoryEngine();
    const multi = adHoc('ah', abc, { collection: '=[tool]' });
    await engine.deploy(
      model('p', [
        start('s'),
        {
          ...multi,
          xml: multi.xml.replace(
            '</bpmn:adHocSubProcess>',
            '<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=tools" inputElement="tool"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:adHocSubProcess>',
          ),
        },
        end('e'),
        ...chain('s', 'ah', 'e'),
      ]),
    );
    const instance = await engine.createInstance('p', { tools: ['a', 'c'] });
    await engine.completeJob((await activateOne(engine, 'a')).key);
    await engine.completeJob((await activateOne(engine, 'c')).key);
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    const events = trail(records, instance.processInstanceKey);
    assert.equal(events.filter((t) => t === 'ah:ELEMENT_COMPLETED').length, 3, 'two instances and the body');
    await engine.close();
  });

  it('replaying the log gives the state that processing produced', async () => {
    const { engine, records, factory } = await memoryEngine({ snapshotEveryRecords: 1e9 });
    await engine.deploy(around([...abc, flow('a', 'b')], { collection: '=["a","c"]', condition: '=done' }));
    await engine.createInstance('p', { done: false });
    await engine.completeJob((await activateOne(engine, 'a')).key);
    await engine.completeJob((await activateOne(engine, 'b')).key, { done: true });
    await waitFor(() => records.some((r) => r.intent === 'ELEMENT_TERMINATED'), 'termination of c');
    await engine.flush();
    const live = stateOf(engine).toSnapshot();
    const store = await factory.open(1);
    const replayed = new EngineState(1);
    const processor = new StreamProcessor(replayed);
    for (const record of await store.read(1, 1_000_000)) processor.replay(record);
    assert.deepEqual(replayed.toSnapshot(), live);
    await engine.close();
  });
});

describe('ad-hoc sub-process with a job worker (zeebe:taskDefinition)', () => {
  const agent = (opts: Parameters<typeof adHoc>[2] = {}) =>
    around([...abc, flow('a', 'b')], {
      ...opts,
      extra: '<zeebe:taskDefinition type="agent" retries="2"/>' + (opts.extra ?? ''),
    });

  it('the worker activates elements; each completed activation hands control back with a new job', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(agent());
    const instance = await engine.createInstance('p');
    const first = await activateOne(engine, 'agent');
    assert.deepEqual(
      (first.variables.adHocSubProcessElements as { elementId: string }[]).map((e) => e.elementId),
      ['a', 'c'],
    );
    await engine.completeJob(
      first.key,
      { plan: 'v1' },
      {
        type: 'adHocSubProcess',
        activateElements: [{ elementId: 'a', variables: { query: 'x' } }, { elementId: 'c' }],
      },
    );
    const a = await activateOne(engine, 'a');
    assert.equal(a.variables.query, 'x');
    assert.equal(a.variables.plan, 'v1');
    await engine.completeJob((await activateOne(engine, 'c')).key);
    const second = await activateOne(engine, 'agent');
    await engine.completeJob(a.key);
    // The new activation of the worker replaces the one that was still open.
    await engine.completeJob((await activateOne(engine, 'b')).key);
    const jobs = records.filter(
      (r) => r.recordType === 'EVENT' && r.valueType === 'JOB' && r.value.type === 'agent',
    );
    assert.ok(jobs.some((r) => r.intent === 'CANCELED' && r.key === second.key));
    const third = await activateOne(engine, 'agent');
    await engine.completeJob(
      third.key,
      {},
      { type: 'adHocSubProcess', isCompletionConditionFulfilled: true },
    );
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion by the worker');
    await engine.close();
  });

  it('a fulfilled condition with isCancelRemainingInstances terminates what is still active', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(agent());
    const instance = await engine.createInstance('p');
    await engine.completeJob(
      (await activateOne(engine, 'agent')).key,
      {},
      {
        type: 'adHocSubProcess',
        activateElements: [{ elementId: 'c' }],
      },
    );
    await activateOne(engine, 'c');
    const job = await engine.activateJobs({
      type: 'agent',
      worker: 'w',
      timeout: 1000,
      maxJobsToActivate: 1,
    });
    assert.deepEqual(job, [], 'no job while the activation runs');
    await engine.activateAdHocSubProcessActivities(
      records.find((r) => r.valueType === 'PROCESS_INSTANCE' && r.value.elementId === 'ah')!.key,
      [{ elementId: 'a' }],
    );
    await engine.completeJob((await activateOne(engine, 'a')).key);
    await engine.completeJob((await activateOne(engine, 'b')).key);
    await engine.completeJob(
      (await activateOne(engine, 'agent')).key,
      {},
      {
        type: 'adHocSubProcess',
        isCompletionConditionFulfilled: true,
        isCancelRemainingInstances: true,
      },
    );
    await waitFor(() => completed(records, instance.processInstanceKey), 'completion');
    assert.ok(trail(records, instance.processInstanceKey).includes('c:ELEMENT_TERMINATED'));
    await engine.close();
  });

  it('a tool reads its parameters with fromAi, from the variables its activation was given', async () => {
    const { engine } = await memoryEngine();
    const tool: Part = {
      xml: `<bpmn:serviceTask id="lookup"><bpmn:extensionElements><zeebe:taskDefinition type="lookup"/><zeebe:ioMapping><zeebe:input source="=&quot;users/&quot; + string(fromAi(toolCall.id, &quot;The user ID&quot;, &quot;number&quot;))" target="url"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>`,
    };
    await engine.deploy(around([tool], { extra: '<zeebe:taskDefinition type="agent"/>' }));
    await engine.createInstance('p');
    await engine.completeJob(
      (await activateOne(engine, 'agent')).key,
      {},
      {
        type: 'adHocSubProcess',
        activateElements: [{ elementId: 'lookup', variables: { toolCall: { id: 7 } } }],
      },
    );
    assert.equal((await activateOne(engine, 'lookup')).variables.url, 'users/7');
    await engine.close();
  });

  it('refuses a result naming elements it cannot activate, and keeps the job', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy(agent());
    await engine.createInstance('p');
    const job = await activateOne(engine, 'agent');
    await assert.rejects(
      engine.completeJob(job.key, {}, { type: 'adHocSubProcess', activateElements: [{ elementId: 'b' }] }),
      /the given elements \[b\] do not exist/,
    );
    await engine.completeJob(job.key, {}, { type: 'adHocSubProcess', isCompletionConditionFulfilled: true });
    await engine.close();
  });

  it('refuses what Zeebe refuses with a task definition', async () => {
    const { engine } = await memoryEngine();
    for (const [opts, pattern] of [
      [
        { collection: '=["a"]' },
        /must not set activeElementsCollection in combination with zeebe:taskDefinition/,
      ],
      [{ condition: '=true' }, /must not set completionCondition/],
      [{ cancelRemaining: false }, /must not set cancelRemainingInstances to false/],
    ] as const)
      await assert.rejects(engine.deploy(agent(opts)), pattern);
    await engine.close();
  });

  it('replay gives the live state, the fulfilled condition included', async () => {
    const { engine, factory } = await memoryEngine({ snapshotEveryRecords: 1e9 });
    await engine.deploy(agent());
    await engine.createInstance('p');
    await engine.completeJob(
      (await activateOne(engine, 'agent')).key,
      {},
      {
        type: 'adHocSubProcess',
        activateElements: [{ elementId: 'a' }, { elementId: 'c' }],
      },
    );
    await engine.completeJob((await activateOne(engine, 'c')).key);
    await engine.completeJob(
      (await activateOne(engine, 'agent')).key,
      {},
      {
        type: 'adHocSubProcess',
        isCompletionConditionFulfilled: true,
      },
    );
    await engine.flush();
    const state = stateOf(engine);
    const live = state.toSnapshot();
    assert.ok(live.join('').includes('completionConditionFulfilled'), 'the flag is in the state');
    const replayed = new EngineState(1);
    const processor = new StreamProcessor(replayed);
    for (const record of await (await factory.open(1)).read(1, 1_000_000)) processor.replay(record);
    assert.deepEqual(replayed.toSnapshot(), live);
    await engine.close();
  });

  it('cancelling the instance cancels the job', async () => {
    const { engine, records } = await memoryEngine();
    await engine.deploy(agent());
    const instance = await engine.createInstance('p');
    const job = await activateOne(engine, 'agent');
    await engine.cancelInstance(instance.processInstanceKey);
    assert.ok(records.some((r) => r.valueType === 'JOB' && r.intent === 'CANCELED' && r.key === job.key));
    await engine.close();
  });
});

describe('ad-hoc sub-process deployment', () => {
  const refused = async (xml: string, pattern: RegExp) => {
    const { engine } = await memoryEngine();
    await assert.rejects(engine.deploy(xml), pattern);
    await engine.close();
  };

  it('refuses a start event, an end event, or no element inside, naming the element', async () => {
    await refused(
      around([start('inner'), task('t')]),
      /ah.*must not contain a start event \(found 'inner'\)/s,
    );
    await refused(around([task('t'), end('done')]), /ah.*must not contain an end event \(found 'done'\)/s);
    await refused(around([]), /ah.*must have at least one activity/s);
  });

  it('refuses a collection that is not an expression', async () => {
    await refused(
      around(abc, { collection: 'a' }),
      /active elements collection 'a' must be a FEEL expression/,
    );
  });
});
