import type { ModdleObject } from 'bpmn-moddle';
import { elementKinds } from '../elements/element-kinds.js';
import type { FlowModel, NodeModel, ProcessModel, ScopeModel } from '../model/process-model.js';
import { toExtensionElement } from './extension-elements.js';
import { defined, moddle } from './moddle.js';

/** The Camunda 8 version the Modeler is told the diagram targets; it enables the Zeebe properties panel. */
export const EXECUTION_PLATFORM_VERSION = '8.5.0';

/**
 * The semantic BPMN model (no diagram) of `model` as a fresh `bpmn:Definitions` moddle tree, with the
 * attributes Camunda Modeler uses to recognise a Camunda 8 diagram.
 */
export function toDefinitions(model: ProcessModel): ModdleObject {
  const process = moddle.create(
    'bpmn:Process',
    defined({ id: model.id, name: model.name, isExecutable: true, flowElements: scopeElements(model) }),
  );
  const definitions = moddle.create('bpmn:Definitions', {
    id: `Definitions_${model.id}`,
    targetNamespace: 'http://bpmn.io/schema/bpmn',
    exporter: 'Baton builder',
    exporterVersion: '0.1.0',
    rootElements: [process],
  });
  Object.assign(definitions.$attrs, {
    'xmlns:modeler': 'http://camunda.org/schema/modeler/1.0',
    'modeler:executionPlatform': 'Camunda Cloud',
    'modeler:executionPlatformVersion': EXECUTION_PLATFORM_VERSION,
  });
  return definitions;
}

/** The flow elements of one scope: nodes in the order they were added, then the flows between them. */
function scopeElements(scope: ScopeModel): ModdleObject[] {
  const incoming = new Map<string, ModdleObject[]>();
  const outgoing = new Map<string, ModdleObject[]>();
  const nodes = new Map<string, ModdleObject>();
  for (const node of scope.nodes.values()) {
    nodes.set(node.id, nodeElement(node));
    incoming.set(node.id, []);
    outgoing.set(node.id, []);
  }
  const flows = scope.flows.map((flow) => {
    const source = nodes.get(flow.sourceId)!;
    const element = flowElement(flow, source, nodes.get(flow.targetId)!);
    outgoing.get(flow.sourceId)!.push(element);
    incoming.get(flow.targetId)!.push(element);
    if (flow.isDefault) source.default = element;
    return element;
  });
  // Camunda Modeler writes incoming/outgoing on every node; bpmn-auto-layout follows them too.
  for (const [id, element] of nodes) {
    if (incoming.get(id)!.length > 0) element.incoming = incoming.get(id);
    if (outgoing.get(id)!.length > 0) element.outgoing = outgoing.get(id);
  }
  return [...nodes.values(), ...flows];
}

function nodeElement(node: NodeModel): ModdleObject {
  const element = moddle.create(elementKinds[node.kind].bpmnType, defined({ id: node.id, name: node.name }));
  if (node.extensions.length > 0) {
    element.extensionElements = moddle.create('bpmn:ExtensionElements', {
      values: node.extensions.map(toExtensionElement),
    });
  }
  return element;
}

function flowElement(flow: FlowModel, source: ModdleObject, target: ModdleObject): ModdleObject {
  const element = moddle.create(
    'bpmn:SequenceFlow',
    defined({ id: flow.id, name: flow.name, sourceRef: source, targetRef: target }),
  );
  if (flow.condition !== undefined) {
    element.conditionExpression = moddle.create('bpmn:FormalExpression', { body: flow.condition });
  }
  return element;
}
