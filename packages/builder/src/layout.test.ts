import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModdleObject } from 'bpmn-moddle';
import { createProcess } from './index.js';
import type { ProcessBuilder } from './index.js';
import { assertFullyDrawn, parseStrict } from './test-support.js';
import { boundariesAndSubProcesses, branchAndJoin, everything, retryLoop } from './test-models.js';

const models: Record<string, () => ProcessBuilder> = {
  everything,
  branchAndJoin,
  retryLoop,
  boundariesAndSubProcesses,
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

describe('layout of boundary events, sub-processes and compensation handlers', () => {
  interface Box {
    x: number;
    y: number;
    width: number;
    height: number;
  }

  async function boxes(): Promise<Map<string, Box>> {
    const parsed = await parseStrict(await boundariesAndSubProcesses().toXml());
    const plane = (parsed.definitions.diagrams as ModdleObject[])[0].plane as ModdleObject;
    const found = new Map<string, Box>();
    for (const di of plane.planeElement as ModdleObject[]) {
      if (di.$type === 'bpmndi:BPMNShape')
        found.set((di.bpmnElement as ModdleObject).id as string, di.bounds as unknown as Box);
    }
    return found;
  }

  const inside = (inner: Box, outer: Box) =>
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height;

  it('puts each boundary event on the lower edge of its host', async () => {
    const shapes = await boxes();
    for (const [event, host] of [
      ['undo-reserve', 'reserve'],
      ['payment-failed', 'payment'],
      ['slow', 'payment'],
      ['declined', 'charge'],
    ]) {
      const e = shapes.get(event)!;
      const h = shapes.get(host)!;
      assert.equal(e.y + e.height / 2, h.y + h.height, `'${event}' sits on the lower edge of '${host}'`);
      assert.ok(e.x >= h.x && e.x + e.width <= h.x + h.width, `'${event}' is within the width of '${host}'`);
    }
  });

  it('draws sub-processes expanded, around their inner elements', async () => {
    const shapes = await boxes();
    for (const id of ['pay-start', 'charge', 'pay-end', 'pay-failed']) {
      assert.ok(inside(shapes.get(id)!, shapes.get('payment')!), `'${id}' is inside 'payment'`);
    }
    for (const id of ['cancel-requested', 'cancelled']) {
      assert.ok(inside(shapes.get(id)!, shapes.get('on-cancel')!), `'${id}' is inside 'on-cancel'`);
    }
  });

  it('stacks the event sub-process below the main flow, overlapping nothing', async () => {
    const shapes = await boxes();
    const eventSub = shapes.get('on-cancel')!;
    for (const [id, box] of shapes) {
      if (['on-cancel', 'cancel-requested', 'cancelled'].includes(id)) continue;
      assert.ok(box.y + box.height < eventSub.y, `'${id}' is above the event sub-process`);
    }
  });

  it('places a compensation handler below and right of its host', async () => {
    const shapes = await boxes();
    const host = shapes.get('reserve')!;
    const handler = shapes.get('release')!;
    assert.ok(handler.y > host.y + host.height, 'below');
    assert.ok(handler.x > host.x, 'right');
  });
});
