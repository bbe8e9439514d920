import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { UpdateStream } from '../src/api/updates';
import type { ConnectionState, UpdateListener } from '../src/api/updates';

// The cockpit's reader of GET /baton/v1/updates, against a real HTTP server sending server-sent events.

const connections: ServerResponse[] = [];
let status = 200;
const server = createServer((req, res) => {
  if (status !== 200) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'UNAVAILABLE', message: 'not now' }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(': connected\n\n');
  connections.push(res);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/baton/v1/updates`;
after(() => server.close());

function collect(stream: UpdateStream) {
  const updates: Parameters<UpdateListener>[0][] = [];
  const states: ConnectionState[] = [];
  stream.subscribe((u) => updates.push(u));
  stream.onState((s) => states.push(s));
  return { updates, states };
}

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('parses update events split across chunks, skips comments and other events', async () => {
  const stream = new UpdateStream(url);
  const { updates, states } = collect(stream);
  stream.start();
  try {
    await until(() => connections.length === 1, 'a connection');
    await until(() => states.includes('live'), 'live');
    const res = connections[0]!;
    res.write('event: update\r\ndata: {"processInstanceKeys":["1"],');
    res.write('"processDefinitions":false,"incidents":true}\r\n\r\n');
    res.write(': heartbeat\n\nevent: other\ndata: {}\n\n');
    res.write('event: update\ndata: not json\n\n');
    res.write('event: update\ndata: {"processDefinitions":true}\n\n');
    await until(() => updates.length === 2, 'two updates');
    assert.deepEqual(updates, [
      { processInstanceKeys: ['1'], processDefinitions: false, incidents: true },
      { processInstanceKeys: [], processDefinitions: true, incidents: false },
    ]);
  } finally {
    stream.stop();
    connections.splice(0).forEach((c) => c.end());
  }
});

test('reconnects with back-off when the stream drops, and asks listeners to resync', async () => {
  const stream = new UpdateStream(url);
  const { updates, states } = collect(stream);
  stream.start();
  try {
    await until(() => connections.length === 1, 'a connection');
    // The server is down for a while: refused attempts back off (1 s, then 2 s …).
    status = 503;
    const dropped = Date.now();
    connections.shift()!.end();
    await until(() => states.at(-1) === 'offline', 'offline');
    await new Promise((r) => setTimeout(r, 1500));
    status = 200;
    await until(() => connections.length === 1, 'a reconnection', 8000);
    const waited = Date.now() - dropped;
    assert.ok(waited >= 2500, `reconnected after ${waited} ms: expected back-off of 1 s + 2 s`);
    await until(() => updates.includes('resync'), 'resync');
    assert.deepEqual(states.slice(0, 3), ['connecting', 'live', 'offline']);
    assert.equal(states.at(-1), 'live');
    connections[0]!.write('event: update\ndata: {"processInstanceKeys":["7"]}\n\n');
    await until(() => updates.length === 2, 'an update after the reconnect');
  } finally {
    stream.stop();
    connections.splice(0).forEach((c) => c.end());
  }
});

test('stop then start (as React does in development) leaves exactly one stream open', async () => {
  const stream = new UpdateStream(url);
  const { updates } = collect(stream);
  stream.start();
  stream.stop();
  stream.start();
  try {
    await until(() => connections.length >= 1, 'a connection');
    await new Promise((r) => setTimeout(r, 1500));
    const open = connections.filter((c) => !c.destroyed && !c.req.destroyed);
    assert.equal(open.length, 1, 'one open stream');
    open[0]!.write('event: update\ndata: {"incidents":true}\n\n');
    await until(() => updates.length === 1, 'one update');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(updates.length, 1, 'delivered once');
  } finally {
    stream.stop();
    connections.splice(0).forEach((c) => c.end());
  }
});
