import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModdleObject } from 'bpmn-moddle';
import { createProcess } from './index.js';
import type { ProcessBuilder } from './index.js';
import { assertFullyDrawn, parseStrict } from './test-support.js';
import { branchAndJoin, everything, retryLoop } from './test-models.js';

const models: Record<string, () => ProcessBuilder> = {
  everything,
  branchAndJoin,
  retryLoop,
  straight: () => createProcess('straight').startEvent().task('only').endEvent(),
};

// bpmn-auto-layout re-reads our XML with a plain BpmnModdle that does not know the zeebe namespace;
// these tests are what guarantees that round trip loses nothing.
describe('layout by bpmn-auto-layout', () => {
  for (const [name, model] of Object.entries(models)) {
    it(`keeps the semantic model of '${name}' byte for byte`, async () => {
      const built = model().done();
      const semantic = processSection(await built.toSemanticXml());
      assert.equal(processSection(await built.toXml()), semantic);
    });

    it(`gives every element of '${name}' a shape or an edge with real coordinates`, async () => {
      const parsed = await parseStrict(await model().toXml());
      assertFullyDrawn(parsed);
      const plane = (parsed.definitions.diagrams as ModdleObject[])[0].plane as ModdleObject;
      assert.equal((plane.bpmnElement as ModdleObject).id, parsed.process.id);
      for (const di of plane.planeElement as ModdleObject[]) {
        const points =
          di.$type === 'bpmndi:BPMNShape' ? [di.bounds as ModdleObject] : (di.waypoint as ModdleObject[]);
        assert.ok(points.length > 0, `${di.id as string} has coordinates`);
        for (const p of points) {
          assert.ok(
            Number.isFinite(p.x) && Number.isFinite(p.y),
            `${di.id as string} has finite coordinates`,
          );
        }
      }
    });
  }

  it('keeps namespace declarations and the Modeler attributes on the definitions', async () => {
    const xml = await everything().toXml();
    const opening = /<bpmn:definitions [^>]*>/.exec(xml)?.[0] ?? '';
    for (const expected of [
      'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"',
      'xmlns:modeler="http://camunda.org/schema/modeler/1.0"',
      'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"',
      'modeler:executionPlatform="Camunda Cloud"',
      'modeler:executionPlatformVersion="8.5.0"',
      'id="Definitions_everything"',
    ]) {
      assert.ok(opening.includes(expected), `definitions carry ${expected}`);
    }
  });
});

function processSection(xml: string): string {
  const start = xml.indexOf('<bpmn:process ');
  const end = xml.indexOf('</bpmn:process>');
  assert.ok(start >= 0 && end > start, 'the XML has a process');
  return xml.slice(start, end);
}
