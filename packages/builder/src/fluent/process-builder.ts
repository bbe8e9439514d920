import { BuiltProcess } from '../built-process.js';
import type { ProcessModel, ScopeModel } from '../model/process-model.js';
import { validateProcess } from '../validation/validate-process.js';
import { FlowBuilder } from './flow-builder.js';
import { IdRegistry } from './id-registry.js';
import { ScopeCursor } from './scope-cursor.js';

/** Options of `process()`. */
export interface ProcessOptions {
  /** The process name shown in Camunda Modeler and Operate-like tools. */
  readonly name?: string;
  /** `zeebe:versionTag`: names this version, for call activities that bind to it (`bindingType: 'versionTag'`). */
  readonly versionTag?: string;
}

/** Builds one executable process; finish with `done()` (or `toXml()` directly). */
export class ProcessBuilder extends FlowBuilder {
  private constructor(
    private readonly model: ProcessModel,
    ids: IdRegistry,
  ) {
    super(new ScopeCursor(model, ids), ids);
  }

  /** @internal Use `process()` / `createProcess()`. */
  static create(id: string, options: ProcessOptions = {}): ProcessBuilder {
    const ids = new IdRegistry();
    ids.reserve(id, 'process');
    // The definitions id is derived from the process id; reserving it keeps an element from taking it.
    ids.reserve(`Definitions_${id}`, 'definitions');
    const { name, versionTag } = options;
    return new ProcessBuilder({ id, name, versionTag, nodes: new Map(), flows: [], associations: [] }, ids);
  }

  /**
   * Checks the whole graph, sub-processes included, and returns the finished process. Throws a
   * `BuilderError` naming every element that is wrong: no start event, a gateway with no way out, an
   * element nothing leads to, a compensation boundary event without a handler …
   */
  done(): BuiltProcess {
    this.cursor.finish();
    validateProcess(this.model);
    // A copy, so drawing on with this builder (or a kept sub-process builder) cannot change what was built.
    return new BuiltProcess({ ...this.model, ...copyScope(this.model) });
  }

  /** Shorthand for `done().toXml()`; build errors reject the promise. */
  async toXml(): Promise<string> {
    return this.done().toXml();
  }
}

function copyScope(scope: ScopeModel): ScopeModel {
  const nodes = [...scope.nodes.values()].map((node) =>
    node.scope ? { ...node, scope: copyScope(node.scope) } : node,
  );
  return {
    nodes: new Map(nodes.map((node) => [node.id, node])),
    flows: [...scope.flows],
    associations: [...scope.associations],
  };
}

/**
 * Starts building the executable process `id`.
 *
 * ```ts
 * const xml = await process('greet').startEvent().serviceTask('hello', { type: 'say-hello' }).endEvent().toXml();
 * ```
 */
export function process(id: string, options: ProcessOptions = {}): ProcessBuilder {
  return ProcessBuilder.create(id, options);
}

/** `process()` under a name that does not shadow Node's global `process`. */
export const createProcess = process;
