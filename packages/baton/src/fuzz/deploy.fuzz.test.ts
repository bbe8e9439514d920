import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createProcess } from '@baton-engine/builder';
import type { Engine } from '../engine.js';
import { BatonError } from '../errors.js';
import { memoryEngine } from '../test-support/fixture.js';
import { exclusiveChoice, oneTask, parallelForkJoin, threeTasks } from '../test-support/models.js';
import { fuzzParameters, within } from './fuzz-config.js';
import { encodedXml, mutatedXml } from './xml-mutations.js';

// Deployment fuzzing (issue 14): a mutated, truncated, deeply nested or oddly encoded BPMN or DMN model is
// either deployed or refused with INVALID_ARGUMENT and a message; never another error, never a hang, and
// the engine serves afterwards.

const DMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="pricing" name="Pricing" namespace="http://baton.dev/test">
  <decision id="level" name="Customer level"><literalExpression id="levelExpr"><text>if orders &gt; 10 then "gold" else "silver"</text></literalExpression></decision>
  <decision id="discount" name="Discount">
    <informationRequirement id="needsLevel"><requiredDecision href="#level"/></informationRequirement>
    <decisionTable id="table" hitPolicy="FIRST">
      <input id="in1" label="Total"><inputExpression id="ie1" typeRef="number"><text>total</text></inputExpression></input>
      <input id="in2" label="Level"><inputExpression id="ie2" typeRef="string"><text>level</text></inputExpression></input>
      <output id="out1" name="discount" typeRef="number"/>
      <rule id="big"><inputEntry id="b1"><text>&gt;= 100</text></inputEntry><inputEntry id="b2"><text>"gold"</text></inputEntry><outputEntry id="b3"><text>0.2</text></outputEntry></rule>
      <rule id="any"><inputEntry id="a1"><text>-</text></inputEntry><inputEntry id="a2"><text>-</text></inputEntry><outputEntry id="a3"><text>0</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;

const DEPLOY_TIMEOUT_MS = 20_000;

/** Deploys and checks the outcome; returns whether it was deployed. */
async function deployChecked(engine: Engine, name: string, content: string | Uint8Array): Promise<boolean> {
  try {
    await within(engine.deploy({ name, content }), DEPLOY_TIMEOUT_MS, `deploying ${name}`);
    return true;
  } catch (error) {
    assert.ok(
      error instanceof BatonError,
      `expected a BatonError, got ${(error as Error)?.stack ?? String(error)}`,
    );
    assert.equal(error.code, 'INVALID_ARGUMENT', error.message);
    assert.ok(error.message.trim().length > 0, 'the refusal says why');
    return false;
  }
}

/** The engine still deploys and runs a valid model: nothing the fuzzer sent broke it. */
async function stillServes(engine: Engine): Promise<void> {
  const id = `alive-${Math.random().toString(36).slice(2)}`;
  await engine.deploy(createProcess(id).startEvent().endEvent().done());
  const instance = await engine.createInstance(id);
  assert.ok(instance.processInstanceKey);
  assert.equal(engine.health().healthy, true);
}

describe('fuzzing: deployments', { timeout: 180_000 }, () => {
  let engine: Engine;
  let bpmnSeeds: string[];
  before(async () => {
    engine = (await memoryEngine()).engine;
    bpmnSeeds = [
      threeTasks(),
      exclusiveChoice(),
      parallelForkJoin(),
      oneTask('timer-task', 'work', ''),
      await createProcess('built')
        .startEvent('s')
        .serviceTask('pay', { type: 'pay' })
        .boundaryEvent('late', { timer: { duration: 'PT1H' } })
        .endEvent('timedOut')
        .moveToNode('pay')
        .userTask('check')
        .endEvent('e')
        .toXml(),
    ];
  });
  after(() => engine.close());

  it('a mutated BPMN model is deployed or refused with INVALID_ARGUMENT', async () => {
    let deployed = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(mutatedXml(bpmnSeeds), async (xml) => {
        if (await deployChecked(engine, 'fuzz.bpmn', xml)) deployed++;
        else refused++;
      }),
      fuzzParameters(100),
    );
    assert.ok(refused > 0, 'the mutations reach the refusals');
    void deployed;
    await stillServes(engine);
  });

  it('a mutated DMN model is deployed or refused with INVALID_ARGUMENT', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedXml([DMN]), async (xml) => {
        await deployChecked(engine, 'fuzz.dmn', xml);
      }),
      fuzzParameters(100),
    );
    await stillServes(engine);
  });

  it('a model in any encoding, or random bytes, is deployed or refused with INVALID_ARGUMENT', async () => {
    const bytes = fc.oneof(
      encodedXml(fc.oneof(fc.constantFrom(...bpmnSeeds, DMN), mutatedXml([...bpmnSeeds, DMN]))),
      fc.uint8Array({ maxLength: 2_000 }),
    );
    await fc.assert(
      fc.asyncProperty(
        bytes,
        fc.constantFrom('fuzz.bpmn', 'fuzz.dmn', 'fuzz.form', 'fuzz.xml'),
        async (b, name) => {
          await deployChecked(engine, name, b);
        },
      ),
      fuzzParameters(100),
    );
    await stillServes(engine);
  });

  it('several resources at once are deployed all together or none', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom(...bpmnSeeds), mutatedXml(bpmnSeeds)), {
          minLength: 2,
          maxLength: 4,
        }),
        async (xmls) => {
          await deployChecked(engine, 'a.bpmn', xmls[0]!);
          try {
            await within(
              engine.deploy(xmls.map((xml, i) => ({ name: `r${i}.bpmn`, xml }))),
              DEPLOY_TIMEOUT_MS,
              'a multi-resource deployment',
            );
          } catch (error) {
            assert.ok(error instanceof BatonError, String((error as Error)?.stack ?? error));
            assert.equal(error.code, 'INVALID_ARGUMENT', error.message);
          }
        },
      ),
      fuzzParameters(40),
    );
    await stillServes(engine);
  });
});
