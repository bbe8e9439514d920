import type { ModdleObject } from 'bpmn-moddle';
import { layoutProcess } from 'bpmn-auto-layout';
import type { FlowModel, NodeModel, ProcessModel, ScopeModel } from '../model/process-model.js';
import { moddle } from './moddle.js';
import { toDefinitions } from './to-definitions.js';
import { toSemanticXml } from './to-xml.js';

/** Space between an event sub-process's border and its content, and between stacked blocks. */
const PADDING = 30;

/**
 * The XML of `model` with a generated diagram. bpmn-auto-layout (1.3) draws boundary events on their
 * host and sub-processes expanded when told so, but lays out neither associations nor the activities
 * only an association reaches (compensation handlers: it would put them at the left edge), and it puts
 * an event sub-process in the first column, widening that column for every row. So it lays out a
 * *layout view* of the model: associations become sequence flows, which it places like the path of a
 * boundary event (below and right of the host), every sub-process is marked expanded by a stub shape,
 * and the process's event sub-processes are left out, laid out on their own and stacked below the
 * diagram. The diagram is then grafted onto the real model by element id: the flow's edge becomes the
 * association's. The semantic part is always serialised from the real model, never re-read.
 */
export async function toLaidOutXml(model: ProcessModel): Promise<string> {
  const definitions = toDefinitions(model);
  const view = layoutView(model);
  const eventSubProcesses = [...view.nodes.values()].filter((n) => n.kind === 'eventSubProcess');
  for (const node of eventSubProcesses) view.nodes.delete(node.id);
  const diagram = await layOut({ ...model, ...view });
  const plane = diagram.plane as ModdleObject;
  let top = bounds(planeElements(plane)).maxY + PADDING * 2;
  for (const node of eventSubProcesses) {
    const inner = planeElements((await layOut({ id: model.id, ...node.scope! })).plane as ModdleObject);
    const box = bounds(inner);
    const left = bounds(planeElements(plane)).minX;
    for (const di of inner) move(di, left + PADDING - box.minX, top + PADDING - box.minY);
    const shape = moddle.create('bpmndi:BPMNShape', {
      id: `${node.id}_di`,
      bpmnElement: { id: node.id }, // resolved to the real element by graft(), like every other shape
      isExpanded: true,
      bounds: moddle.create('dc:Bounds', {
        x: left,
        y: top,
        width: box.maxX - box.minX + PADDING * 2,
        height: box.maxY - box.minY + PADDING * 2,
      }),
    });
    plane.planeElement = [...planeElements(plane), shape, ...inner];
    top += box.maxY - box.minY + PADDING * 3;
  }
  definitions.diagrams = graft([diagram], byId(definitions));
  return toSemanticXml(definitions);
}

/** bpmn-auto-layout's diagram of `model` (the first it returns), still pointing at the view's elements. */
async function layOut(model: ProcessModel): Promise<ModdleObject> {
  const view = toDefinitions(model);
  view.diagrams = [expandedHints(view)];
  const laidOut = await layoutProcess(await toSemanticXml(view));
  const { rootElement } = await moddle.fromXML(laidOut, 'bpmn:Definitions');
  return (rootElement.diagrams as ModdleObject[])[0];
}

function planeElements(plane: ModdleObject): ModdleObject[] {
  return (plane.planeElement as ModdleObject[] | undefined) ?? [];
}

function points(di: ModdleObject): ModdleObject[] {
  return di.$type === 'bpmndi:BPMNShape'
    ? [di.bounds as ModdleObject]
    : ((di.waypoint as ModdleObject[]) ?? []);
}

function move(di: ModdleObject, dx: number, dy: number): void {
  for (const point of points(di)) {
    point.x = (point.x as number) + dx;
    point.y = (point.y as number) + dy;
  }
}

function bounds(elements: readonly ModdleObject[]): {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
} {
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const di of elements) {
    for (const p of points(di)) {
      const x = p.x as number;
      const y = p.y as number;
      box.minX = Math.min(box.minX, x);
      box.minY = Math.min(box.minY, y);
      box.maxX = Math.max(box.maxX, x + ((p.width as number | undefined) ?? 0));
      box.maxY = Math.max(box.maxY, y + ((p.height as number | undefined) ?? 0));
    }
  }
  return Number.isFinite(box.minX) ? box : { minX: 0, minY: 0, maxX: 0, maxY: 0 };
}

function layoutView(scope: ScopeModel): {
  nodes: Map<string, NodeModel>;
  flows: FlowModel[];
  associations: [];
} {
  const nodes = [...scope.nodes.values()].map((node) =>
    node.scope ? { ...node, scope: layoutView(node.scope) } : node,
  );
  return {
    nodes: new Map(nodes.map((node) => [node.id, node])),
    flows: [
      ...scope.flows,
      ...scope.associations.map((a) => ({
        id: a.id,
        sourceId: a.sourceId,
        targetId: a.targetId,
        isDefault: false,
      })),
    ],
    associations: [],
  };
}

// bpmn-auto-layout expands a sub-process only when the input already has an expanded shape for it.
function expandedHints(definitions: ModdleObject): ModdleObject {
  const process = (definitions.rootElements as ModdleObject[])[0];
  const shapes = [...byId(definitions).values()]
    .filter((e) => e.$type === 'bpmn:SubProcess' || e.$type === 'bpmn:AdHocSubProcess')
    .map((sub) =>
      moddle.create('bpmndi:BPMNShape', {
        id: `${sub.id as string}_hint`,
        bpmnElement: sub,
        isExpanded: true,
        bounds: moddle.create('dc:Bounds', { x: 0, y: 0, width: 100, height: 80 }),
      }),
    );
  return moddle.create('bpmndi:BPMNDiagram', {
    id: 'Hints',
    plane: moddle.create('bpmndi:BPMNPlane', {
      id: 'HintsPlane',
      bpmnElement: process,
      planeElement: shapes,
    }),
  });
}

/** Points the laid-out diagrams at the real model's elements. */
function graft(diagrams: ModdleObject[], elements: ReadonlyMap<string, ModdleObject>): ModdleObject[] {
  const ours = (di: ModdleObject): ModdleObject => {
    const id = (di.bpmnElement as ModdleObject | undefined)?.id as string | undefined;
    const element = id === undefined ? undefined : elements.get(id);
    if (!element) throw new Error(`the layout drew '${String(id)}', which the model does not have`);
    return element;
  };
  for (const diagram of diagrams) {
    const plane = diagram.plane as ModdleObject;
    plane.bpmnElement = ours(plane);
    for (const di of (plane.planeElement as ModdleObject[] | undefined) ?? []) di.bpmnElement = ours(di);
  }
  return diagrams;
}

/** The process and everything in it that a diagram can show, by id. */
function byId(definitions: ModdleObject): Map<string, ModdleObject> {
  const found = new Map<string, ModdleObject>();
  const visit = (container: ModdleObject) => {
    found.set(container.id as string, container);
    for (const element of (container.flowElements as ModdleObject[] | undefined) ?? []) {
      if (element.flowElements !== undefined) visit(element);
      else found.set(element.id as string, element);
    }
    for (const artifact of (container.artifacts as ModdleObject[] | undefined) ?? []) {
      found.set(artifact.id as string, artifact);
    }
  };
  for (const root of definitions.rootElements as ModdleObject[]) {
    if (root.$type === 'bpmn:Process') visit(root);
  }
  return found;
}
