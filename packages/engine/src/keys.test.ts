import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeKey, isKey, KeyGenerator, partitionOfKey } from './keys.js';

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

  it('tells keys from other strings', () => {
    for (const bad of ['', '-1', 'abc', '1.5', '99999999999999999999999'])
      assert.equal(isKey(bad), false, bad);
  });
});
