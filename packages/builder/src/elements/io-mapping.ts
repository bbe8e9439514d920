import type { ExtensionModel, VariableMapping } from '../model/extension-model.js';
import type { IoMappingOptions } from './element-options.js';
import { requireText } from './expressions.js';

/** The `zeebe:ioMapping` for an element's inputs and outputs, or nothing when it has neither. */
export function ioMappingExtension(elementId: string, options: IoMappingOptions): ExtensionModel[] {
  const inputs = (options.inputs ?? []).map((m, i) => checked(m, elementId, `input ${i + 1}`));
  const outputs = (options.outputs ?? []).map((m, i) => checked(m, elementId, `output ${i + 1}`));
  if (inputs.length === 0 && outputs.length === 0) return [];
  return [{ kind: 'ioMapping', inputs, outputs }];
}

function checked(mapping: VariableMapping, elementId: string, what: string): VariableMapping {
  return {
    source: requireText(mapping.source, elementId, `the source of ${what}`),
    target: requireText(mapping.target, elementId, `the target of ${what}`),
  };
}
