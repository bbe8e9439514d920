import type { ModdleObject } from 'bpmn-moddle';
import type { ExtensionModel, VariableMapping } from '../model/extension-model.js';
import { defined, moddle } from './moddle.js';

/** The `zeebe:*` moddle element for one extension of the model. */
export function toExtensionElement(extension: ExtensionModel): ModdleObject {
  switch (extension.kind) {
    case 'taskDefinition':
      return moddle.create(
        'zeebe:TaskDefinition',
        defined({ type: extension.type, retries: extension.retries }),
      );
    case 'taskHeaders':
      return moddle.create('zeebe:TaskHeaders', {
        values: extension.headers.map((h) => moddle.create('zeebe:Header', { key: h.key, value: h.value })),
      });
    case 'ioMapping':
      return moddle.create('zeebe:IoMapping', {
        inputParameters: extension.inputs.map((m) => mapping('zeebe:Input', m)),
        outputParameters: extension.outputs.map((m) => mapping('zeebe:Output', m)),
      });
    case 'script':
      return moddle.create('zeebe:Script', {
        expression: extension.expression,
        resultVariable: extension.resultVariable,
      });
    default:
      return unknownExtension(extension);
  }
}

function mapping(type: 'zeebe:Input' | 'zeebe:Output', m: VariableMapping): ModdleObject {
  return moddle.create(type, { source: m.source, target: m.target });
}

// A new ExtensionModel variant without a case above fails to compile here.
function unknownExtension(extension: never): never {
  throw new Error(`no emitter for extension ${JSON.stringify(extension)}`);
}
