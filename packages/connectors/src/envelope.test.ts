import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEnvelope, decodeEnvelope, encodeEnvelope } from './envelope.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('envelope', () => {
  it('encodes and decodes every field', () => {
    const envelope = createEnvelope({
      type: 'order.placed',
      id: 'checkout:o-1',
      source: 'checkout',
      time: new Date(Date.UTC(2030, 0, 1)),
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      correlationId: 'o-1',
      data: { orderId: 'o-1', total: 42.5 },
    });
    const decoded = decodeEnvelope(encodeEnvelope(envelope));
    assert.deepEqual(decoded, { ok: true, envelope });
    assert.deepEqual(envelope, {
      specversion: '1.0',
      type: 'order.placed',
      id: 'checkout:o-1',
      source: 'checkout',
      time: '2030-01-01T00:00:00.000Z',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      correlationId: 'o-1',
      datacontenttype: 'application/json',
      data: { orderId: 'o-1', total: 42.5 },
    });
  });

  it('reads strict CloudEvents (lower-case extensions), and takes the broker id when the body has none', () => {
    const decoded = decodeEnvelope(
      bytes('{"specversion":"1.0","type":"t","source":"s","traceid":"tr","correlationid":"c","data":1}'),
      'broker-id',
    );
    assert.ok(decoded.ok);
    assert.equal(decoded.envelope.id, 'broker-id');
    assert.equal(decoded.envelope.traceId, 'tr');
    assert.equal(decoded.envelope.correlationId, 'c');
    assert.equal(decoded.envelope.data, 1);
  });

  it('says what is wrong with a body that is not an envelope', () => {
    assert.deepEqual(decodeEnvelope(bytes('nope')).ok, false);
    const notJson = decodeEnvelope(bytes('nope'));
    assert.match(notJson.ok ? '' : notJson.message, /not JSON/);
    assert.equal(notJson.ok ? '' : notJson.reason, 'not-json');
    const noType = decodeEnvelope(bytes('{"id":"x","data":{}}'));
    assert.match(noType.ok ? '' : noType.message, /type: Required/);
    assert.equal(noType.ok ? '' : noType.reason, 'invalid-envelope');
    const array = decodeEnvelope(bytes('[1,2]'));
    assert.equal(array.ok ? '' : array.reason, 'invalid-envelope');
    const noId = decodeEnvelope(bytes('{"type":"t"}'));
    assert.match(noId.ok ? '' : noId.message, /id: Required/);
    const badUtf8 = decodeEnvelope(new Uint8Array([0xff, 0xfe]));
    assert.match(badUtf8.ok ? '' : badUtf8.message, /not JSON/);
  });
});
