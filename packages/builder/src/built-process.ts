import { toDefinitions } from './emit/to-definitions.js';
import type { ModdleElement } from './moddle-element.js';
import { toLaidOutXml } from './emit/layout.js';
import { toSemanticXml } from './emit/to-xml.js';
import type { ProcessModel } from './model/process-model.js';

/**
 * A finished, validated process. It no longer changes when the builder it came from does, and can be
 * emitted any number of times.
 */
export class BuiltProcess {
  /** The BPMN process id: what instances are started by. */
  readonly id: string;
  readonly name: string | undefined;

  /** @internal Created by `ProcessBuilder.done()`. */
  constructor(private readonly model: ProcessModel) {
    this.id = model.id;
    this.name = model.name;
  }

  /**
   * A fresh bpmn-moddle `bpmn:Definitions` tree holding the process, without diagram interchange.
   * Callers may change it; it is not shared.
   */
  toDefinitions(): ModdleElement {
    return toDefinitions(this.model);
  }

  /**
   * BPMN 2.0 XML for Camunda 8 / Zeebe, with a generated diagram (BPMNShape per flow node,
   * BPMNEdge per sequence flow and association, sub-processes expanded) so Camunda Modeler and bpmn-js
   * can show it.
   */
  toXml(): Promise<string> {
    return toLaidOutXml(this.model);
  }

  /** The same XML without the diagram: smaller, for tools that only execute. */
  toSemanticXml(): Promise<string> {
    return toSemanticXml(toDefinitions(this.model));
  }
}
