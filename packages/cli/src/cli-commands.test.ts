import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageCatch, oneTask } from './test-models.js';
import { freePort, startBaton } from './test-server.js';
import type { TestServer } from './test-server.js';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `baton <args>` (from source) against a server, as a script would. */
function baton(server: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=baton-src', '--import', 'tsx', main, '--server', server, ...args],
      { env: { ...process.env, BATON_TOKEN: 'cli-key' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('baton client commands against baton start', { timeout: 240_000 }, () => {
  let server: TestServer;
  let dir: string;
  const cli = (...args: string[]) => baton(server.url, ...args);
  before(async () => {
    server = await startBaton(['--api-key', 'cli-key']);
    dir = mkdtempSync(join(tmpdir(), 'baton-cli-'));
    writeFileSync(join(dir, 'chore.bpmn'), await oneTask('chore', 'chore'));
    writeFileSync(join(dir, 'wait.bpmn'), messageCatch);
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  it('deploys files and starts instances, printing tables or JSON', async () => {
    const deployed = await cli('deploy', join(dir, 'chore.bpmn'), join(dir, 'wait.bpmn'));
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(deployed.stdout, /PROCESSDEFINITIONID\s+VERSION/);
    assert.match(deployed.stdout, /chore\s+1/);
    // --json prints the /v2 answer; an unchanged file deploys no new version (the same definition key).
    type V2Deployment = {
      deployments: {
        processDefinition: { processDefinitionKey: string; processDefinitionVersion: number };
      }[];
    };
    const first = JSON.parse((await cli('--json', 'deploy', join(dir, 'chore.bpmn'))).stdout) as V2Deployment;
    const again = JSON.parse((await cli('--json', 'deploy', join(dir, 'chore.bpmn'))).stdout) as V2Deployment;
    assert.equal(first.deployments[0]!.processDefinition.processDefinitionVersion, 1);
    assert.equal(
      again.deployments[0]!.processDefinition.processDefinitionKey,
      first.deployments[0]!.processDefinition.processDefinitionKey,
    );
    const started = await cli('run', 'chore', '--vars', '{"n": 1}');
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /instance \d+ of chore v1 started/);
    const startedAt = await cli('run', 'chore', '--start-at', 'work');
    assert.equal(startedAt.code, 0, startedAt.stderr);
    const refused = await cli('run', 'chore', '--start-at', 'nope');
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /no element found with id 'nope'/);
  });

  it('lists instances and incidents from the read model; resolves and cancels', async () => {
    const run = JSON.parse((await cli('--json', 'run', 'msg', '--vars', '{"orderId": "A-9"}')).stdout) as {
      processInstanceKey: string;
    };
    const listed = await cli('instances', '--process', 'msg', '--state', 'ACTIVE');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${run.processInstanceKey}\\s+msg\\s+1\\s+ACTIVE`));
    assert.match(listed.stdout, /1-1 of 1/);
    const byVariable = JSON.parse((await cli('--json', 'instances', '--var', 'orderId="A-9"')).stdout) as {
      items: { processInstanceKey: string }[];
      page: { totalItems: number };
    };
    assert.equal(byVariable.page.totalItems, 1);
    assert.equal(byVariable.items[0]!.processInstanceKey, run.processInstanceKey);

    // A job failed with no retries left is an incident; `baton resolve --job` gives retries and resolves it.
    const started = JSON.parse((await cli('--json', 'run', 'chore')).stdout) as {
      processInstanceKey: string;
    };
    const activated = (await (
      await fetch(`${server.url}/v2/jobs/activation`, {
        method: 'POST',
        headers: { authorization: 'Bearer cli-key', 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'chore', worker: 't', timeout: 60_000, maxJobsToActivate: 10 }),
      })
    ).json()) as { jobs: { jobKey: string; processInstanceKey: string }[] };
    const job = activated.jobs.find((j) => j.processInstanceKey === started.processInstanceKey)!;
    await fetch(`${server.url}/v2/jobs/${job.jobKey}/failure`, {
      method: 'POST',
      headers: { authorization: 'Bearer cli-key', 'content-type': 'application/json' },
      body: JSON.stringify({ retries: 0, errorMessage: 'printer on fire' }),
    });
    let incidents = { items: [] as { incidentKey: string; errorMessage: string }[] };
    for (let i = 0; i < 50 && incidents.items.length === 0; i++) {
      incidents = JSON.parse(
        (await cli('--json', 'incidents', '--process', 'chore')).stdout,
      ) as typeof incidents;
    }
    assert.equal(incidents.items[0]!.errorMessage, 'printer on fire');
    const table = await cli('incidents');
    assert.match(table.stdout, /JOB_NO_RETRIES\s+printer on fire/);
    const resolved = await cli(
      'resolve',
      incidents.items[0]!.incidentKey,
      '--job',
      job.jobKey,
      '--retries',
      '2',
    );
    assert.equal(resolved.code, 0, resolved.stderr);
    const resolvedList = JSON.parse((await cli('--json', 'incidents', '--resolved')).stdout) as {
      page: { totalItems: number };
    };
    assert.equal(resolvedList.page.totalItems, 1);

    const canceled = await cli('cancel', run.processInstanceKey);
    assert.equal(canceled.code, 0, canceled.stderr);
    assert.match(
      (await cli('instances', '--state', 'TERMINATED')).stdout,
      new RegExp(run.processInstanceKey),
    );
  });

  it('publishes a message that completes a waiting instance, awaits a result and shows the topology', async () => {
    const waiting = JSON.parse(
      (await cli('--json', 'run', 'msg', '--vars', '{"orderId": "B-2"}')).stdout,
    ) as {
      processInstanceKey: string;
    };
    const published = await cli('publish', 'paid', '--key', 'B-2', '--vars', '{"paid": true}');
    assert.equal(published.code, 0, published.stderr);
    assert.match(published.stdout, /message 'paid' published \(key \d+\)/);
    let state = '';
    for (let i = 0; i < 50 && state !== 'COMPLETED'; i++) {
      const found = JSON.parse((await cli('--json', 'instances', '--var', 'orderId="B-2"')).stdout) as {
        items: { processInstanceKey: string; state: string }[];
      };
      assert.equal(found.items[0]?.processInstanceKey, waiting.processInstanceKey);
      state = found.items[0]!.state;
    }
    assert.equal(state, 'COMPLETED');
    const awaited = await cli(
      'run',
      'msg',
      '--await',
      '--timeout',
      '20000',
      '--start-at',
      'e',
      '--vars',
      '{"x": 7}',
    );
    assert.equal(awaited.code, 0, awaited.stderr);
    assert.match(awaited.stdout, /instance \d+ of msg v1 completed\n\{\n {2}"x": 7\n\}/);
    const topology = await cli('topology');
    assert.equal(topology.code, 0, topology.stderr);
    assert.match(topology.stdout, /PARTITIONID\s+ROLE\s+HEALTH/);
    assert.match(topology.stdout, /^1\s+leader\s+healthy/m);
  });

  it('exits 1 when refused, 2 when called wrongly, 3 when nobody answers', async () => {
    const refused = await cli('run', 'no-such-process');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /no-such-process/);
    const badState = await cli('instances', '--state', 'RUNNING');
    assert.equal(badState.code, 2);
    assert.match(badState.stderr, /'RUNNING' is invalid.*ACTIVE, COMPLETED, TERMINATED/s);
    const noKey = await cli('publish', 'order-paid');
    assert.equal(noKey.code, 2, 'the synopsis says --key is required');
    assert.match(noKey.stderr, /--key <correlation-key>' not specified/);
    assert.equal((await cli('publish', 'order-paid', '--key', 'A-1', '--ttl', 'soon')).code, 2);
    assert.equal((await cli('run', 'chore', '--vars', '{oops')).code, 2);
    assert.equal((await cli('instances', '--page', '0')).code, 2);
    const unreachable = await baton(`http://127.0.0.1:${await freePort()}`, 'instances');
    assert.equal(unreachable.code, 3);
    const unauthenticated = await new Promise<CliResult>((resolve) =>
      execFile(
        process.execPath,
        [
          '--conditions=baton-src',
          '--import',
          'tsx',
          main,
          '--server',
          server.url,
          '--token',
          'wrong',
          'instances',
        ],
        (error, stdout, stderr) =>
          resolve({ code: (error as { code?: number } | null)?.code ?? 0, stdout, stderr }),
      ),
    );
    assert.equal(unauthenticated.code, 1);
    assert.match(unauthenticated.stderr, /bearer token/i);
  });
});
