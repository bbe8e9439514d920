import { definitions } from './models.js';

/**
 * Large generated models for the deployment limits and timings (issue 14 item 2). Each service task and
 * flow is written the way Modeler writes it (incoming/outgoing children, a task definition), without a
 * diagram unless `withDiagram` is set.
 */
export interface LargeModelOptions {
  readonly processId?: string;
  /** Adds a BPMNDiagram with one shape per node and one edge per flow, as Modeler would. */
  readonly withDiagram?: boolean;
  /**
   * `service` (default for the chain): service tasks with a task definition and incoming/outgoing children,
   * as Modeler writes them; `plain` (default for the fork): `<bpmn:task id="…"/>` and flows only, so that
   * 20,000 branches stay under the 4 MiB request limit (3.2 MB, the model of the issue).
   */
  readonly tasks?: 'service' | 'plain';
}

function task(id: string, incoming: string, outgoing: string): string {
  return `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="work"/></bpmn:extensionElements><bpmn:incoming>${incoming}</bpmn:incoming><bpmn:outgoing>${outgoing}</bpmn:outgoing></bpmn:serviceTask>`;
}

function flow(id: string, source: string, target: string): string {
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"/>`;
}

function diagram(processId: string, nodes: readonly string[], flows: readonly string[]): string {
  const shapes = nodes.map(
    (id, i) =>
      `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${i * 150}" y="100" width="100" height="80"/></bpmndi:BPMNShape>`,
  );
  const edges = flows.map(
    (id, i) =>
      `<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}"><di:waypoint x="${i * 150 + 100}" y="140"/><di:waypoint x="${i * 150 + 150}" y="140"/></bpmndi:BPMNEdge>`,
  );
  return `<bpmndi:BPMNDiagram id="diagram" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"><bpmndi:BPMNPlane id="plane" bpmnElement="${processId}">${shapes.join('')}${edges.join('')}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`;
}

/** start → t1 → t2 → … → tN → end: N service tasks of type `work` in a row (2N + 3 flow elements). */
export function taskChain(n: number, options: LargeModelOptions = {}): string {
  const processId = options.processId ?? 'chain';
  const plain = options.tasks === 'plain';
  const parts: string[] = [`<bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>`];
  const nodes = ['start'];
  const flows: string[] = [];
  for (let i = 1; i <= n; i++) {
    parts.push(plain ? `<bpmn:task id="t${i}"/>` : task(`t${i}`, `f${i - 1}`, `f${i}`));
    nodes.push(`t${i}`);
  }
  parts.push(`<bpmn:endEvent id="end"><bpmn:incoming>f${n}</bpmn:incoming></bpmn:endEvent>`);
  nodes.push('end');
  for (let i = 0; i <= n; i++) {
    parts.push(flow(`f${i}`, i === 0 ? 'start' : `t${i}`, i === n ? 'end' : `t${i + 1}`));
    flows.push(`f${i}`);
  }
  const body = `<bpmn:process id="${processId}" isExecutable="true">${parts.join('\n')}</bpmn:process>`;
  return definitions(options.withDiagram ? body + diagram(processId, nodes, flows) : body);
}

/**
 * start → parallel split → N tasks side by side → parallel join → end (3N + 6 flow elements).
 */
export function parallelFork(n: number, options: LargeModelOptions = {}): string {
  const processId = options.processId ?? 'fork';
  const plain = (options.tasks ?? 'plain') === 'plain';
  const out: string[] = [];
  const into: string[] = [];
  const tasks: string[] = [];
  const flows: string[] = [flow('f0', 'start', 'split'), flow('fEnd', 'join', 'end')];
  for (let i = 1; i <= n; i++) {
    if (!plain) {
      out.push(`<bpmn:outgoing>a${i}</bpmn:outgoing>`);
      into.push(`<bpmn:incoming>b${i}</bpmn:incoming>`);
    }
    tasks.push(plain ? `<bpmn:task id="t${i}"/>` : task(`t${i}`, `a${i}`, `b${i}`));
    flows.push(flow(`a${i}`, 'split', `t${i}`), flow(`b${i}`, `t${i}`, 'join'));
  }
  const body = `<bpmn:process id="${processId}" isExecutable="true">
<bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>
<bpmn:parallelGateway id="split"><bpmn:incoming>f0</bpmn:incoming>${out.join('')}</bpmn:parallelGateway>
${tasks.join('\n')}
<bpmn:parallelGateway id="join">${into.join('')}<bpmn:outgoing>fEnd</bpmn:outgoing></bpmn:parallelGateway>
<bpmn:endEvent id="end"><bpmn:incoming>fEnd</bpmn:incoming></bpmn:endEvent>
${flows.join('\n')}
</bpmn:process>`;
  if (!options.withDiagram) return definitions(body);
  const nodes = ['start', 'split', ...Array.from({ length: n }, (_, i) => `t${i + 1}`), 'join', 'end'];
  const flowIds = ['f0', 'fEnd', ...Array.from({ length: n }, (_, i) => [`a${i + 1}`, `b${i + 1}`]).flat()];
  return definitions(body + diagram(processId, nodes, flowIds));
}
