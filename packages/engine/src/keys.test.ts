import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeKey, isKey, KeyGenerator, localPartOfKey, partitionOfKey } from './keys.js';

describe('keys', () => {
  it('carry the partition id in their high bits', () => {
    for (const partition of [1, 2, 17, 1000]) {
      const key = encodeKey(partition, 123_456);
      assert.equal(partitionOfKey(key), partition);
      assert.ok(isKey(key));
    }
    assert.equal(encodeKey(1, 1), '2251799813685249'); // as Zeebe's first key on partition 1
  });

  it('never hand out a key twice, also after observing keys from the log', () => {
    const generator = new KeyGenerator(2);
    const first = generator.next();
    generator.observe(encodeKey(2, 50));
    generator.observe(encodeKey(3, 500)); // another partition's key does not move this counter
    const next = generator.next();
    assert.notEqual(first, next);
    assert.equal(next, encodeKey(2, 51));
  });

  it('agree with 64-bit arithmetic on every partition, small and large counters', () => {
    for (const partition of [0, 1, 2, 3, 4, 5, 63, 4095]) {
      for (const local of [0, 1, 2 ** 32 + 7, 2 ** 51 - 1]) {
        const exact = ((BigInt(partition) << 51n) | BigInt(local)).toString();
        assert.equal(encodeKey(partition, local), exact, `${partition}/${local}`);
        assert.equal(partitionOfKey(exact), partition, exact);
        assert.equal(localPartOfKey(exact), local, exact);
      }
    }
    const generator = new KeyGenerator(1);
    generator.observe(encodeKey(1, 2 ** 51 - 1));
    assert.equal(generator.current, 2 ** 51 - 1);
    assert.throws(() => partitionOfKey('not a key'));
  });

  it('tells keys from other strings', () => {
    for (const bad of ['', '-1', 'abc', '1.5', '99999999999999999999999'])
      assert.equal(isKey(bad), false, bad);
  });
});
