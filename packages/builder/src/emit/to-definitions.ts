import type { ModdleObject } from 'bpmn-moddle';
import { elementKinds } from '../elements/element-kinds.js';
import type {
  FlowModel,
  MultiInstanceModel,
  NodeModel,
  ProcessModel,
  ScopeModel,
} from '../model/process-model.js';
import { toEventDefinition } from './event-definitions.js';
import { toExtensionElement } from './extension-elements.js';
import { EXECUTION_PLATFORM_VERSION } from './execution-platform.js';
import { defined, moddle } from './moddle.js';
import { RootElements } from './root-elements.js';

/**
 * The semantic BPMN model (no diagram) of `model` as a fresh `bpmn:Definitions` moddle tree, with the
 * attributes Camunda Modeler uses to recognise a Camunda 8 diagram. The messages, signals, errors and
 * escalations the events reference follow the process.
 */
export function toDefinitions(model: ProcessModel): ModdleObject {
  const roots = new RootElements(idsOf(model));
  const process = moddle.create(
    'bpmn:Process',
    defined({ id: model.id, name: model.name, isExecutable: true }),
  );
  fillScope(process, model, roots);
  if (model.versionTag !== undefined) {
    const tag = moddle.create('zeebe:VersionTag', { value: model.versionTag });
    process.extensionElements = moddle.create('bpmn:ExtensionElements', { values: [tag] });
  }
  const definitions = moddle.create('bpmn:Definitions', {
    id: `Definitions_${model.id}`,
    targetNamespace: 'http://bpmn.io/schema/bpmn',
    exporter: 'Baton builder',
    exporterVersion: '0.1.0',
    rootElements: [process, ...roots.elements],
  });
  Object.assign(definitions.$attrs, {
    'xmlns:modeler': 'http://camunda.org/schema/modeler/1.0',
    'modeler:executionPlatform': 'Camunda Cloud',
    'modeler:executionPlatformVersion': EXECUTION_PLATFORM_VERSION,
  });
  return definitions;
}

/**
 * Fills a container (process or sub-process) with the flow elements of one scope: nodes in the order
 * they were added, then the flows between them; associations become its artifacts. Every reference
 * (boundary host, compensated activity, association ends) points into the same scope.
 */
function fillScope(container: ModdleObject, scope: ScopeModel, roots: RootElements): void {
  const nodes = new Map<string, ModdleObject>();
  for (const node of scope.nodes.values()) {
    const element = nodeElement(node, roots);
    if (node.scope) fillScope(element, node.scope, roots);
    nodes.set(node.id, element);
  }
  for (const node of scope.nodes.values()) {
    const element = nodes.get(node.id)!;
    if (node.attachedTo !== undefined) element.attachedToRef = nodes.get(node.attachedTo);
    if (node.eventDefinition)
      element.eventDefinitions = [toEventDefinition(node.eventDefinition, roots, nodes)];
  }
  const incoming = new Map<string, ModdleObject[]>([...nodes.keys()].map((id) => [id, []]));
  const outgoing = new Map<string, ModdleObject[]>([...nodes.keys()].map((id) => [id, []]));
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
  container.flowElements = [...nodes.values(), ...flows];
  if (scope.associations.length > 0) {
    container.artifacts = scope.associations.map((a) =>
      moddle.create('bpmn:Association', {
        id: a.id,
        associationDirection: 'One',
        sourceRef: nodes.get(a.sourceId),
        targetRef: nodes.get(a.targetId),
      }),
    );
  }
}

function nodeElement(node: NodeModel, roots: RootElements): ModdleObject {
  const element = moddle.create(
    elementKinds[node.kind].bpmnType,
    defined({
      id: node.id,
      name: node.name,
      ...node.attributes,
      isForCompensation: node.isForCompensation || undefined,
    }),
  );
  if (node.extensions.length > 0) {
    element.extensionElements = moddle.create('bpmn:ExtensionElements', {
      values: node.extensions.map(toExtensionElement),
    });
  }
  if (node.message) element.messageRef = roots.message(node.message);
  if (node.multiInstance) element.loopCharacteristics = loopElement(node.multiInstance);
  if (node.completionCondition !== undefined)
    element.completionCondition = moddle.create('bpmn:FormalExpression', { body: node.completionCondition });
  return element;
}

function loopElement(loop: MultiInstanceModel): ModdleObject {
  return moddle.create(
    'bpmn:MultiInstanceLoopCharacteristics',
    defined({
      isSequential: loop.sequential || undefined,
      extensionElements: moddle.create('bpmn:ExtensionElements', { values: [toExtensionElement(loop.loop)] }),
      completionCondition:
        loop.completionCondition === undefined
          ? undefined
          : moddle.create('bpmn:FormalExpression', { body: loop.completionCondition }),
    }),
  );
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

/** Every id the model uses, so generated root element ids can avoid them. */
function idsOf(model: ProcessModel): Set<string> {
  const ids = new Set<string>([model.id, `Definitions_${model.id}`]);
  const visit = (scope: ScopeModel) => {
    for (const node of scope.nodes.values()) {
      ids.add(node.id);
      if (node.scope) visit(node.scope);
    }
    for (const flow of scope.flows) ids.add(flow.id);
    for (const association of scope.associations) ids.add(association.id);
  };
  visit(model);
  return ids;
}
