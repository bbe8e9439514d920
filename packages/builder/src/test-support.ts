// Helpers for the builder's tests: read emitted XML back the way the engine will (bpmn-moddle + zeebe).
import assert from 'node:assert/strict';
import type { ModdleObject } from 'bpmn-moddle';
import { BuilderError } from './builder-error.js';
import { moddle } from './emit/moddle.js';

export interface ParsedXml {
  readonly definitions: ModdleObject;
  readonly process: ModdleObject;
  /** Flow nodes, sequence flows and associations of the process and its sub-processes, by id. */
  readonly elements: Map<string, ModdleObject>;
  /** Ids of the elements that have a BPMNShape / BPMNEdge. */
  readonly shapes: Set<string>;
  readonly edges: Set<string>;
}

/** Parses `xml`, failing the test on any parser warning. */
export async function parseStrict(xml: string): Promise<ParsedXml> {
  const { rootElement: definitions, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
  assert.deepEqual(
    warnings.map((w) => w.message),
    [],
    'bpmn-moddle (with the zeebe descriptor) reports no warnings',
  );
  const process = (definitions.rootElements as ModdleObject[]).find((e) => e.$type === 'bpmn:Process');
  assert.ok(process, 'the definitions hold a process');
  const elements = new Map<string, ModdleObject>();
  const collect = (container: ModdleObject) => {
    for (const e of (container.flowElements as ModdleObject[] | undefined) ?? []) {
      elements.set(e.id as string, e);
      if (e.$type === 'bpmn:SubProcess' || e.$type === 'bpmn:AdHocSubProcess') collect(e);
    }
    for (const a of (container.artifacts as ModdleObject[] | undefined) ?? [])
      elements.set(a.id as string, a);
  };
  collect(process);
  const shapes = new Set<string>();
  const edges = new Set<string>();
  for (const diagram of (definitions.diagrams as ModdleObject[] | undefined) ?? []) {
    const plane = diagram.plane as ModdleObject;
    for (const di of (plane.planeElement as ModdleObject[] | undefined) ?? []) {
      const id = (di.bpmnElement as ModdleObject).id as string;
      if (di.$type === 'bpmndi:BPMNShape') shapes.add(id);
      if (di.$type === 'bpmndi:BPMNEdge') edges.add(id);
    }
  }
  return { definitions, process, elements, shapes, edges };
}

/** The element `id`, failing the test when it is missing. */
export function element(parsed: ParsedXml, id: string): ModdleObject {
  const found = parsed.elements.get(id);
  assert.ok(found, `element '${id}' is in the XML`);
  return found;
}

/** The extension element of `type` (e.g. `zeebe:TaskDefinition`) of `owner`, if any. */
export function extension(owner: ModdleObject, type: string): ModdleObject | undefined {
  const values = ((owner.extensionElements as ModdleObject | undefined)?.values as ModdleObject[]) ?? [];
  return values.find((v) => v.$type === type);
}

/** Plain `{ source, target }` pairs of a moddle io-mapping list. */
export function mappings(list: unknown): { source: unknown; target: unknown }[] {
  return ((list as ModdleObject[] | undefined) ?? []).map((m) => ({ source: m.source, target: m.target }));
}

/** Asserts that every flow node has a BPMNShape and every sequence flow and association a BPMNEdge. */
export function assertFullyDrawn(parsed: ParsedXml): void {
  for (const [id, e] of parsed.elements) {
    if (e.$type === 'bpmn:SequenceFlow' || e.$type === 'bpmn:Association')
      assert.ok(parsed.edges.has(id), `${e.$type} '${id}' has a BPMNEdge`);
    else assert.ok(parsed.shapes.has(id), `flow node '${id}' has a BPMNShape`);
  }
}

/** The root element (`bpmn:Message`, `bpmn:Error` …) with `id`. */
export function rootElement(parsed: ParsedXml, id: string): ModdleObject {
  const found = (parsed.definitions.rootElements as ModdleObject[]).find((e) => e.id === id);
  assert.ok(found, `root element '${id}' is in the XML`);
  return found;
}

/** The one event definition of event `id`. */
export function eventDefinition(parsed: ParsedXml, id: string): ModdleObject {
  const definitions = (element(parsed, id).eventDefinitions as ModdleObject[] | undefined) ?? [];
  assert.equal(definitions.length, 1, `'${id}' has one event definition`);
  return definitions[0];
}

/** Asserts that `build` throws a BuilderError about `elementId` whose message matches `pattern`. */
export function throwsBuilderError(build: () => unknown, elementId: string, pattern: RegExp): void {
  assert.throws(build, (error: unknown) => {
    assert.ok(error instanceof BuilderError, `a BuilderError, got ${String(error)}`);
    assert.equal(error.elementId, elementId);
    assert.ok(error.message.includes(`'${elementId}'`), `the message names '${elementId}': ${error.message}`);
    assert.match(error.message, pattern);
    return true;
  });
}
