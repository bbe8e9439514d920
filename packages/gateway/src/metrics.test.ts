import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine, createProcess } from '@baton-engine/baton';
import { createAuthenticator } from './auth/authenticator.js';
import { Counter } from 'prom-client';
import { EngineMetrics } from './metrics.js';
import { startHttpGateway } from './rest/http-gateway.js';

describe('GET /metrics', () => {
  it('serves Prometheus metrics of what the engine committed and holds, with the API credentials', async () => {
    const engine = await createEngine({ store: 'memory' });
    const metrics = new EngineMetrics(engine);
    new Counter({ name: 'extra_total', help: 'From another part', registers: [metrics.registry] }).inc(7);
    const http = await startHttpGateway(engine, {
      host: '127.0.0.1',
      port: 0,
      auth: createAuthenticator({ apiKeys: ['m'] }),
      metrics,
    });
    try {
      const xml = await createProcess('m')
        .startEvent()
        .serviceTask('work', { type: 'w', retries: 1 })
        .endEvent()
        .toXml();
      await engine.deploy({ name: 'm.bpmn', xml });
      for (let i = 0; i < 3; i++) await engine.createInstance('m');
      const [job] = await engine.activateJobs({
        type: 'w',
        worker: 't',
        timeout: 60_000,
        maxJobsToActivate: 1,
      });
      await engine.failJob(job!.key, { retries: 0, errorMessage: 'broken' });
      await engine.completeJob(job!.key).catch(() => undefined); // refused: counted as a rejection
      await engine.flush();

      assert.equal((await fetch(`http://127.0.0.1:${http.port}/metrics`)).status, 401);
      const response = await fetch(`http://127.0.0.1:${http.port}/metrics`, {
        headers: { authorization: 'Bearer m' },
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type')!, /text\/plain/);
      const text = await response.text();
      const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1]);
      assert.equal(
        value(
          /baton_records_committed_total\{partition="1",record_type="EVENT",value_type="PROCESS_INSTANCE_CREATION",intent="CREATED"\} (\d+)/,
        ),
        3,
      );
      assert.equal(value(/baton_open_incidents\{partition="1"\} (\d+)/), 1);
      assert.equal(value(/baton_jobs\{partition="1"\} (\d+)/), 3);
      assert.equal(value(/baton_queued_commands\{partition="1"\} (\d+)/), 0);
      assert.equal(value(/baton_in_flight_commands\{partition="1"\} (\d+)/), 0);
      assert.equal(value(/baton_back_pressure_limit\{partition="1"\} (\d+)/), 500);
      assert.equal(value(/baton_back_pressure_refused\{partition="1"\} (\d+)/), 0);
      assert.ok(
        value(/baton_commands_rejected_total\{partition="1",value_type="JOB",reason="[A-Z_]+"\} (\d+)/) >= 1,
      );
      assert.match(text, /baton_process_cpu_seconds_total/, "Node's process metrics");
      assert.match(text, /^extra_total 7$/m, 'metrics of other parts registered in the same registry');
    } finally {
      await http.stop();
      metrics.close();
      await engine.close();
    }
  });

  it('shows how far each exporter lags behind the log', async () => {
    let acknowledge: ((position: number) => void) | undefined;
    const engine = await createEngine({
      store: 'memory',
      exporters: [
        {
          id: 'audit',
          open: (context) => void (acknowledge = (p) => context.updatePosition(p)),
          export: () => undefined,
          close: () => undefined,
        },
      ],
    });
    const metrics = new EngineMetrics(engine);
    try {
      await engine.deploy(createProcess('lag').startEvent().endEvent().done());
      await engine.createInstance('lag');
      await engine.flush();
      const last = engine.stats().partitions[0]!.lastPosition;
      const value = (text: string, name: string) =>
        Number(new RegExp(`${name}\\{partition="1",exporter="audit"\\} (\\d+)`).exec(text)?.[1]);
      let text = await metrics.text();
      assert.ok(last > 3);
      assert.equal(value(text, 'baton_exporter_lag_records'), last, 'nothing acknowledged: all of it');
      acknowledge!(3);
      text = await metrics.text();
      assert.equal(value(text, 'baton_exporter_lag_records'), last - 3);
      assert.equal(value(text, 'baton_exporter_position'), 3);
      assert.equal(value(text, 'baton_exporter_failed_attempts'), 0);
    } finally {
      metrics.close();
      await engine.close();
    }
  });
});
