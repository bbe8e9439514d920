import { BuilderError } from '../builder-error.js';
import type { MultiInstanceModel } from '../model/process-model.js';
import type { MultiInstanceOptions } from './element-options.js';
import { asFeelExpression, requireText } from './expressions.js';

/** The loop characteristics of activity `id`, or nothing when it is not multi-instance. */
export function multiInstanceOf(
  id: string,
  options: MultiInstanceOptions | undefined,
): MultiInstanceModel | undefined {
  if (options === undefined) return undefined;
  const text = (value: string | undefined, what: string) =>
    value === undefined ? undefined : requireText(value, id, what);
  const feel = (value: string | undefined, what: string) =>
    value === undefined ? undefined : asFeelExpression(requireText(value, id, what), id, what);
  const outputCollection = text(options.outputCollection, 'the output collection');
  const outputElement = feel(options.outputElement, 'the output element');
  if ((outputCollection === undefined) !== (outputElement === undefined)) {
    throw new BuilderError(
      `multi-instance '${id}' needs outputCollection and outputElement together (the collection gathers ` +
        `the element of every instance)`,
      id,
    );
  }
  return {
    sequential: options.sequential === true,
    loop: {
      kind: 'loopCharacteristics',
      inputCollection: feel(options.inputCollection, 'the input collection')!,
      inputElement: text(options.inputElement, 'the input element'),
      outputCollection,
      outputElement,
    },
    completionCondition: feel(options.completionCondition, 'the completion condition'),
  };
}
