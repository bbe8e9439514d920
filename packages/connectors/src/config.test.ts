import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConnectorsConfigError, loadConnectorsConfig, parseConnectorsConfig } from './config.js';

describe('connectors configuration', () => {
  it('fills in the defaults', () => {
    const config = parseConnectorsConfig({
      bus: { kind: 'nats' },
      inbound: [
        { subject: 'payment.events.*', correlate: { messageName: '=type', correlationKey: '=data.orderId' } },
      ],
    });
    assert.deepEqual(config.bus, {
      kind: 'nats',
      servers: 'nats://127.0.0.1:4222',
      stream: 'BATON',
      subjectPrefix: 'baton.',
    });
    assert.equal(config.source, 'baton');
    assert.deepEqual(config.outbound, {
      enabled: true,
      jobType: 'baton:bus-publish',
      maxJobsActive: 32,
      jobTimeout: 30_000,
    });
    assert.deepEqual(config.inbound[0]!.correlate, {
      messageName: '=type',
      correlationKey: '=data.orderId',
      messageId: '=id',
      variables: '=data',
      timeToLive: 3_600_000,
    });
    assert.equal(config.modelSubscriptions, true);
    assert.deepEqual(config.deadLetter, {
      enabled: true,
      subject: 'baton.dead-letter',
      group: 'baton.dead-letter',
      maxRefusals: 5,
    });
    // Parsing what was parsed gives the same.
    assert.deepEqual(parseConnectorsConfig(config), config);
  });

  it('names every problem by its path', () => {
    const message = messageOf(() =>
      parseConnectorsConfig(
        {
          bus: { kind: 'kafka' },
          outbound: { jobTimeout: 'soon', extra: true },
          inbound: [
            { subject: 'orders..placed', correlate: { correlationKey: '=data.' } },
            { subject: 'x', createInstance: { bpmnProcessId: 'p' }, correlate: { messageName: 'm' } },
            { subject: 'y', createInstance: { bpmnProcessId: 'p' }, activationCondition: '=type =' },
          ],
        },
        'connectors.json',
      ),
    );
    assert.match(message, /^connectors\.json is invalid:/);
    assert.match(message, /bus\.kind: expected one of 'memory', 'nats', 'amqp'/);
    assert.match(message, /outbound: unknown field\(s\) 'extra'/);
    assert.match(message, /outbound\.jobTimeout: expected milliseconds or an ISO 8601 duration/);
    assert.match(message, /inbound\[0\]\.subject: 'orders\.\.placed' is not a valid subscription subject/);
    assert.match(message, /inbound\[0\]\.correlate\.messageName: required/);
    assert.match(message, /inbound\[0\]\.correlate\.correlationKey: invalid FEEL in '=data\.'/);
    assert.match(
      message,
      /inbound\[1\]: give exactly one of 'correlate' \(publish a message\) and 'createInstance'/,
    );
    assert.match(message, /inbound\[2\]\.activationCondition: invalid FEEL/);
  });

  it('refuses two subscriptions in one group', () => {
    assert.throws(
      () =>
        parseConnectorsConfig({
          bus: { kind: 'memory' },
          inbound: [
            { subject: 'a', correlate: { messageName: 'm1' } },
            { subject: 'a', correlate: { messageName: 'm2' } },
          ],
        }),
      /inbound\[1\]\.group: group 'baton\.a' is used by inbound\[0\] too/,
    );
  });

  it('parks dead letters on <source>.dead-letter unless told otherwise, and keeps subscriptions off it', () => {
    const custom = parseConnectorsConfig({
      bus: { kind: 'memory' },
      source: 'order-service',
      deadLetter: { subject: 'ops.parked', maxRefusals: 3 },
    });
    assert.deepEqual(custom.deadLetter, {
      enabled: true,
      subject: 'ops.parked',
      group: 'ops.parked',
      maxRefusals: 3,
    });
    assert.equal(
      parseConnectorsConfig({ bus: { kind: 'memory' }, source: 'orders' }).deadLetter.subject,
      'orders.dead-letter',
    );
    const message = messageOf(() =>
      parseConnectorsConfig({
        bus: { kind: 'memory' },
        source: 'order service',
        inbound: [
          { subject: 'order service.>', correlate: { messageName: 'm' } },
          { subject: 'ops.*', group: 'ops.parked', correlate: { messageName: 'm' } },
        ],
        deadLetter: { maxRefusals: 0, unknown: 1 },
      }),
    );
    assert.match(message, /inbound\[0\]\.subject: 'order service\.>' is not a valid subscription subject/);
    assert.match(message, /deadLetter: unknown field\(s\) 'unknown'/);
    assert.match(message, /deadLetter\.maxRefusals: Number must be greater than 0/);
    assert.throws(
      () => parseConnectorsConfig({ bus: { kind: 'memory' }, source: 'order service' }),
      /deadLetter\.subject: the default 'order service\.dead-letter' \(from 'source'\) is not a valid subject; set one/,
    );
    assert.throws(
      () =>
        parseConnectorsConfig({
          bus: { kind: 'memory' },
          deadLetter: { subject: 'ops.parked' },
          inbound: [{ subject: 'ops.*', correlate: { messageName: 'm' } }],
        }),
      /inbound\[0\]\.subject: 'ops\.\*' takes the dead-letter subject 'ops\.parked' too/,
    );
    assert.throws(
      () =>
        parseConnectorsConfig({
          bus: { kind: 'memory' },
          deadLetter: { subject: 'ops.parked', group: 'ops' },
          inbound: [{ subject: 'orders.placed', group: 'ops', correlate: { messageName: 'm' } }],
        }),
      /deadLetter\.group: group 'ops' is used by inbound\[0\]; the dead letters need a group of their own/,
    );
    assert.throws(
      () => parseConnectorsConfig({ bus: { kind: 'memory' }, deadLetter: { subject: 'ops.*' } }),
      /deadLetter\.subject: 'ops\.\*' is not a valid subject/,
    );
    // Off: anything goes.
    const off = parseConnectorsConfig({
      bus: { kind: 'memory' },
      deadLetter: { enabled: false },
      inbound: [{ subject: '>', correlate: { messageName: 'm' } }],
    });
    assert.equal(off.deadLetter.enabled, false);
  });

  it('reads a file, naming it when it cannot be read or is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-connectors-config-'));
    try {
      const path = join(dir, 'connectors.json');
      assert.throws(
        () => loadConnectorsConfig(path),
        /cannot read the connectors configuration .*connectors\.json: ENOENT/,
      );
      writeFileSync(path, '{ "bus": ');
      assert.throws(() => loadConnectorsConfig(path), /connectors\.json is not valid JSON/);
      writeFileSync(path, JSON.stringify({ bus: { kind: 'amqp' }, source: 'orders' }));
      const config = loadConnectorsConfig(path);
      assert.equal(config.source, 'orders');
      assert.deepEqual(config.bus, {
        kind: 'amqp',
        url: 'amqp://guest:guest@127.0.0.1:5672',
        exchange: 'baton',
        queuePrefix: 'baton.',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConnectorsConfigError);
    return error.message;
  }
  assert.fail('expected a ConnectorsConfigError');
}
