import type { ProcessInstance } from '../api-types.js';
import type { AssertionContext, ExpectInstanceOptions } from './instance-assertions.js';
import { InstanceAssertions } from './instance-assertions.js';

/** The test engine each instance handle came from, so that `expectInstance(instance)` needs no engine. */
const owners = new WeakMap<object, AssertionContext>();

/** @internal Remembers which test engine created an instance handle. */
export function registerInstance(instance: ProcessInstance, owner: AssertionContext): void {
  owners.set(instance, owner);
}

/**
 * Assertions on a process instance created by a test engine (`harness.createInstance` or
 * `harness.instances`): `await expectInstance(order).toHaveCompleted()`. For an instance known only by its
 * key, use `harness.expectInstance(key)`.
 */
export function expectInstance(
  instance: ProcessInstance,
  options: ExpectInstanceOptions = {},
): InstanceAssertions {
  const owner = owners.get(instance);
  if (!owner) {
    throw new TypeError(
      `expectInstance(): process instance ${instance.processInstanceKey} was not created by a test engine; ` +
        'use harness.expectInstance(instanceOrKey) instead',
    );
  }
  return new InstanceAssertions(owner, instance.processInstanceKey, options);
}
