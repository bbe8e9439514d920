import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { parseDuration } from '@baton-engine/engine';
import { checkPattern } from './bus/subjects.js';
import { fieldSyntaxError } from './feel-fields.js';
import type { InboundBinding } from './inbound.js';

/** The `inbound.type` that binds a message start or catch event to the bus. */
export const BUS_SUBSCRIBE_TYPE = 'baton:bus-subscribe';

const moddle = new BpmnModdle({ zeebe });

interface Element {
  readonly $type: string;
  readonly id?: string;
  readonly name?: string;
  readonly [property: string]: unknown;
}

/** A deployed process as the engine keeps it: its id and the XML it came from. */
export interface DeployedModel {
  readonly bpmnProcessId: string;
  readonly resourceName: string;
  readonly resource: string;
}

/**
 * The inbound bindings declared in a process, as Camunda 8 declares inbound connectors: a message start event,
 * intermediate catch event, boundary event or receive task with `zeebe:properties`:
 *
 * ```xml
 * <zeebe:properties>
 *   <zeebe:property name="inbound.type" value="baton:bus-subscribe"/>
 *   <zeebe:property name="inbound.subject" value="payment.events.*"/>
 *   <zeebe:property name="correlationKeyExpression" value="=data.orderId"/>
 * </zeebe:properties>
 * ```
 *
 * Also: `inbound.group`, `activationCondition`, `messageIdExpression` (default `=id`), `resultExpression`
 * (default `=data`) or `resultVariable`, `messageTtl` (default `PT1H`). The message name is the event's message.
 * Returns the bindings and, separately, the problems of elements whose binding is wrong (named by element).
 */
export async function inboundBindingsOf(
  model: DeployedModel,
): Promise<{ bindings: InboundBinding[]; problems: string[] }> {
  // Parsing is CPU-bound on the engine's thread, and a large model takes seconds: a model that does not
  // mention inbound properties at all (most of them) has no binding to find.
  if (!model.resource.includes('inbound')) return { bindings: [], problems: [] };
  const { rootElement } = await moddle.fromXML(model.resource, 'bpmn:Definitions');
  const roots = ((rootElement as Element).rootElements as Element[] | undefined) ?? [];
  const process = roots.find((e) => e.$type === 'bpmn:Process' && e.id === model.bpmnProcessId);
  const bindings: InboundBinding[] = [];
  const problems: string[] = [];
  if (!process) return { bindings, problems };
  const visit = (container: Element, topLevel: boolean) => {
    for (const element of (container.flowElements as Element[] | undefined) ?? []) {
      if (element.$type === 'bpmn:SubProcess') visit(element, false);
      const properties = propertiesOf(element);
      if (properties['inbound.type'] !== BUS_SUBSCRIBE_TYPE) continue;
      const origin = `${model.resourceName}: process '${model.bpmnProcessId}', element '${element.id}'`;
      const result = bindingOf(model.bpmnProcessId, element, properties, origin, topLevel);
      if (typeof result === 'string') problems.push(`${origin}: ${result}`);
      else bindings.push(result);
    }
  };
  visit(process, true);
  return { bindings, problems };
}

function bindingOf(
  processId: string,
  element: Element,
  properties: Record<string, string>,
  origin: string,
  topLevel: boolean,
): InboundBinding | string {
  const messageName = messageNameOf(element);
  if (!messageName) return 'an inbound binding needs a message event (or receive task) with a message name';
  const isStart = element.$type === 'bpmn:StartEvent' && topLevel;
  const subject = properties['inbound.subject'];
  if (!subject) return "an inbound binding needs 'inbound.subject'";
  try {
    checkPattern(subject);
  } catch (error) {
    return (error as Error).message;
  }
  const correlationKey = properties.correlationKeyExpression ?? '';
  if (!isStart && !correlationKey) return "a catch event's inbound binding needs 'correlationKeyExpression'";
  const resultVariable = properties.resultVariable;
  const variables =
    properties.resultExpression ?? (resultVariable ? `={ "${resultVariable}": data }` : '=data');
  const fields = {
    correlationKeyExpression: correlationKey,
    messageIdExpression: properties.messageIdExpression ?? '=id',
    resultExpression: variables,
    activationCondition: properties.activationCondition ?? '',
  };
  for (const [name, text] of Object.entries(fields)) {
    const error = text ? fieldSyntaxError(text) : undefined;
    if (error) return `'${name}' has invalid FEEL: ${error}`;
  }
  let timeToLive = 3_600_000;
  if (properties.messageTtl) {
    const parsed = parseDuration(properties.messageTtl);
    if (!parsed || parsed.years !== 0 || parsed.months !== 0)
      return `'messageTtl' must be an ISO 8601 duration such as 'PT1H', not '${properties.messageTtl}'`;
    timeToLive = parsed.millis;
  }
  return {
    name: `${processId}/${element.id}`,
    origin,
    subject,
    group: properties['inbound.group'] ?? `baton.${processId}.${element.id}`,
    maxInFlight: 64,
    activationCondition: fields.activationCondition || undefined,
    action: {
      kind: 'correlate',
      messageName,
      correlationKey,
      messageId: fields.messageIdExpression,
      variables,
      timeToLive,
    },
  };
}

function propertiesOf(element: Element): Record<string, string> {
  const extensions = ((element.extensionElements as { values?: Element[] } | undefined)?.values ??
    []) as Element[];
  const out: Record<string, string> = {};
  for (const ext of extensions) {
    if (ext.$type !== 'zeebe:Properties') continue;
    for (const property of (ext.properties as Element[] | undefined) ?? []) {
      if (typeof property.name === 'string') out[property.name] = String(property.value ?? '');
    }
  }
  return out;
}

function messageNameOf(element: Element): string | undefined {
  const definitions = (element.eventDefinitions as Element[] | undefined) ?? [];
  const definition = definitions.find((d) => d.$type === 'bpmn:MessageEventDefinition');
  const message = (definition?.messageRef ?? element.messageRef) as Element | undefined;
  return message?.name || undefined;
}
