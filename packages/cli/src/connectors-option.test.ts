import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProcess } from '@baton-engine/baton';
import { createEnvelope, createNatsBus, decodeEnvelope, encodeEnvelope } from '@baton-engine/connectors';
import type { Envelope, NatsBus } from '@baton-engine/connectors';
import { searchTotal, startBaton } from './test-server.js';
import type { TestServer } from './test-server.js';
import { natsNamespace, requireBroker } from '@baton-engine/connectors/test-support';

/** A flow a bus message starts, which answers on the bus: in by `createInstance`, out by a send task. */
const greeter = () =>
  createProcess('greeter')
    .startEvent('requested')
    .sendTask('greet', {
      type: 'baton:bus-publish',
      headers: { subject: 'greetings', messageType: 'greeting', payload: '={ text: "hello " + name }' },
    })
    .endEvent('done')
    .toXml();

describe('baton start --connectors (NATS JetStream on 127.0.0.1:4222)', { timeout: 60_000 }, () => {
  // A stream and subject prefix of our own, deleted afterwards, so that runs never see each other's messages.
  const namespace = natsNamespace();
  const { servers, stream, subjectPrefix } = namespace.options;
  const bus = { kind: 'nats', servers, stream, subjectPrefix };
  const run = namespace.options.subjectPrefix!.replace(/\W/g, '');
  let server: TestServer;
  let client: NatsBus;
  before(async () => {
    await requireBroker('nats');
    const dir = mkdtempSync(join(tmpdir(), 'baton-connectors-'));
    const config = join(dir, 'connectors.json');
    writeFileSync(
      config,
      JSON.stringify({
        bus,
        source: 'cli-test',
        inbound: [{ subject: 'requests', createInstance: { bpmnProcessId: 'greeter' } }],
      }),
    );
    writeFileSync(join(dir, 'greeter.bpmn'), await greeter());
    server = await startBaton([
      '--insecure-no-auth',
      '--connectors',
      config,
      '--deploy',
      join(dir, 'greeter.bpmn'),
    ]);
    client = createNatsBus(namespace.options);
    await client.ready();
  });
  after(async () => {
    await client?.close();
    assert.equal(await server?.stop(), 0, 'connectors stop with the server');
    await namespace.dispose();
  });

  it('starts an instance for a bus message and publishes what its send task sends', async () => {
    const greetings: Envelope[] = [];
    await client.subscribe('greetings', { group: `${run}-test` }, async (delivery) => {
      const decoded = decodeEnvelope(delivery.body, delivery.id);
      if (decoded.ok) greetings.push(decoded.envelope);
      await delivery.ack();
    });
    const request = createEnvelope({
      type: 'greeting.requested',
      id: `${run}-1`,
      source: 'test',
      data: { name: 'Ada' },
    });
    await client.publish('requests', { id: request.id, body: encodeEnvelope(request) });
    const deadline = Date.now() + 20_000;
    while (greetings.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(greetings.length, 1, 'one greeting came back over the bus');
    assert.equal(greetings[0]!.type, 'greeting');
    assert.equal(greetings[0]!.source, 'cli-test');
    assert.deepEqual(greetings[0]!.data, { text: 'hello Ada' });
    assert.equal(await searchTotal(server.url, 'process-instances', { processDefinitionId: 'greeter' }), 1);
    // One /metrics for the engine and the connectors (one prom-client registry).
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^baton_records_committed_total\{/m);
    assert.match(metrics, /^baton_connectors_inbound_committed_total\{subscription="[^"]+"\} 1$/m);
  });

  it('refuses an invalid connectors file with a usage error naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-connectors-bad-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ bus: { kind: 'carrier-pigeon' } }));
    await assert.rejects(
      startBaton(['--insecure-no-auth', '--connectors', join(dir, 'bad.json')]),
      /exited with 2[\s\S]*bad\.json is invalid[\s\S]*bus/,
    );
  });
});
