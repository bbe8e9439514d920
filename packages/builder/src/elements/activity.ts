import type { ExtensionModel } from '../model/extension-model.js';
import type { NodeKind, NodeModel } from '../model/process-model.js';
import type { ActivityOptions, IoMappingOptions } from './element-options.js';
import { ioMappingExtension } from './io-mapping.js';
import { multiInstanceOf } from './multi-instance.js';

/**
 * The node of an activity of `kind`: its own extensions, then its io mapping, and its multi-instance
 * loop when it has one. Every activity module builds its node through here.
 */
export function activityNode(
  kind: NodeKind,
  id: string,
  options: ActivityOptions & IoMappingOptions,
  extensions: readonly ExtensionModel[] = [],
): NodeModel {
  const multiInstance = multiInstanceOf(id, options.multiInstance);
  return {
    kind,
    id,
    name: options.name,
    extensions: [...extensions, ...ioMappingExtension(id, options)],
    ...(multiInstance ? { multiInstance } : {}),
  };
}
