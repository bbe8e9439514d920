import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { createProcess } from '@baton-engine/baton';
import { oneTask } from '../test-models.js';
import type { Zeebe } from '../test-clients.js';
import { sdkClient } from '../test-clients.js';
import type { TestServer } from '../test-server.js';
import { batonCluster, until } from './test-support/baton-cluster.js';
import { logOf } from './test-support/cluster-fixture.js';

const { schema, threeNodesTwoPartitions } = batonCluster('baton_cluster_gateway');

/** Three nodes, two partitions: n1 leads partition 1, n2 partition 2, n3 none. */
let n1: TestServer;
let n2: TestServer;
let n3: TestServer;
const clients: Zeebe[] = [];

before(async () => {
  [n1, n2, n3] = await threeNodesTwoPartitions();
  clients.push(...[n1, n2, n3].map((n) => sdkClient(n.port)));
});

after(async () => {
  for (const client of clients) await client.close();
  for (const server of [n1, n2, n3]) await server?.stop();
});

const GREETING_DMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="greeting_drg" name="Greeting" namespace="http://baton.dev/test">
  <decision id="greeting" name="Greeting">
    <variable id="greetingVar" name="greeting"/>
    <literalExpression id="greetingExpr"><text>"hello " + name</text></literalExpression>
  </decision>
</definitions>`;

/** A call activity calling `callee`, whose variables it takes back. */
const CALLER = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">
<bpmn:process id="caller" isExecutable="true"><bpmn:startEvent id="s"/>
<bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="callee"/></bpmn:extensionElements></bpmn:callActivity>
<bpmn:endEvent id="e"/>
<bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="call"/><bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="e"/></bpmn:process></bpmn:definitions>`;

/** Retries `step` while the deployment it needs travels to the partition through the database. */
async function onceDeployed<T>(what: string, step: () => Promise<T>): Promise<T> {
  let result: T | undefined;
  let last: unknown;
  await until(what, async () => {
    try {
      result = await step();
      return true;
    } catch (error) {
      last = error;
      if (/NOT_FOUND|not found/i.test(String(error))) return false;
      throw error;
    }
  }).catch((error: Error) => {
    throw new Error(`${error.message}: ${String(last)}`);
  });
  return result!;
}

/** `rounds` instances through each client in turn, each once its partition has the deployment. */
async function createThrough(zeebes: Zeebe[], bpmnProcessId: string, rounds: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < rounds; i++)
    for (const zeebe of zeebes) {
      const created = await onceDeployed(`${bpmnProcessId} deployed to every partition`, () =>
        zeebe.createProcessInstance({ bpmnProcessId, variables: { i } }),
      );
      keys.push(String(created.processInstanceKey));
    }
  return keys;
}

/**
 * A job stream on `zeebe` completing every job of `type`; `pushed` counts the pushes of each job key, and
 * `instances` gets each job's process instance.
 */
function completingStream(zeebe: Zeebe, type: string, pushed: Map<string, number>, instances: string[]) {
  return zeebe.streamJobs({
    type,
    worker: `${type}-streamer`,
    tenantIds: ['<default>'],
    timeout: 60_000,
    taskHandler: (job) => {
      pushed.set(job.key, (pushed.get(job.key) ?? 0) + 1);
      instances.push(String(job.processInstanceKey));
      return job.complete({});
    },
  });
}

/** What a topology says, by broker: address and partitions (id, role, health). */
type Seen = [string, string[]][];

function seen(
  brokers: {
    host: string;
    port: number;
    partitions: { partitionId: number; role: unknown; health: unknown }[];
  }[],
): Seen {
  return brokers.map((b) => [
    `${b.host}:${b.port}`,
    b.partitions.map((p) => `${p.partitionId} ${String(p.role)} ${String(p.health)}`),
  ]);
}

describe('the gateway on every node of a cluster', { timeout: 240_000 }, () => {
  it('Topology on any node lists every live node with the partitions it leads, a node leading none too', async () => {
    const expected = (leader: string, healthy: string): Seen => [
      [`127.0.0.1:${n1.port}`, [`1 ${leader} ${healthy}`]],
      [`127.0.0.1:${n2.port}`, [`2 ${leader} ${healthy}`]],
      [`127.0.0.1:${n3.port}`, []],
    ];
    for (const [i, zeebe] of clients.entries()) {
      let topology = await zeebe.topology();
      // The lease is taken a moment before the partition serves: it shows once it does.
      await until(`the whole cluster in the topology of n${i + 1}`, async () => {
        topology = await zeebe.topology();
        return JSON.stringify(seen(topology.brokers)) === JSON.stringify(expected('LEADER', 'HEALTHY'));
      });
      assert.equal(topology.clusterSize, 3);
      assert.equal(topology.partitionsCount, 2);
      assert.equal(topology.replicationFactor, 1);
      assert.deepEqual(
        topology.brokers.map((b) => b.nodeId),
        [0, 1, 2],
      );
    }

    const rest = (await (await fetch(`${n3.url}/v2/topology`)).json()) as {
      brokers: Parameters<typeof seen>[0];
      clusterSize: number;
      partitionsCount: number;
    };
    assert.deepEqual(seen(rest.brokers), expected('leader', 'healthy'));
    assert.equal(rest.clusterSize, 3);
    assert.equal(rest.partitionsCount, 2);

    // zbctl (the Go client) prints every broker with its partitions.
    const require = createRequire(import.meta.url);
    const zbctl = join(require.resolve('zbctl/package.json'), '..', 'bin', 'zbctl-cli.linux');
    const { stdout } = await promisify(execFile)(zbctl, [
      '--insecure',
      '--address',
      `127.0.0.1:${n2.port}`,
      'status',
    ]);
    const block = (nodeId: number, port: number, partition: string) =>
      `  Broker ${nodeId} - 127.0.0.1:${port}\n    Version: [^\n]+\n${partition}`;
    assert.match(
      stdout,
      new RegExp(
        'Cluster size: 3\nPartitions count: 2\n[\\s\\S]*Brokers:\n' +
          block(0, n1.port, '    Partition 1 : Leader, Healthy\n') +
          block(1, n2.port, '    Partition 2 : Leader, Healthy\n') +
          block(2, n3.port, '\n'),
      ),
    );
  });

  it('a job stream on a node that leads nothing gets the jobs of every partition; their completions go to the leaders', async () => {
    const [zeebe1, zeebe2, zeebe3] = clients as [Zeebe, Zeebe, Zeebe];
    await zeebe1.deployResource({
      process: Buffer.from(await oneTask('streamed', 'streamed-work')),
      name: 'streamed.bpmn',
    });
    const pushed = new Map<string, number>();
    const instances: string[] = [];
    const stream = await completingStream(zeebe3, 'streamed-work', pushed, instances);
    try {
      // n1 creates on partition 1, n2 on partition 2 (once the deployment reached it through the database).
      const created = await createThrough([zeebe1, zeebe2], 'streamed', 5);
      await until('every streamed job completed', async () => instances.length >= created.length, 60_000);
      assert.deepEqual([...instances].sort(), [...created].sort());
      for (const [key, times] of pushed) assert.equal(times, 1, `job ${key} pushed ${times} times`);
    } finally {
      stream.close();
    }
  });

  it('decisions by key, resource deletion and migration act on the partitions of every node', async () => {
    const [zeebe1, zeebe2, zeebe3] = clients as [Zeebe, Zeebe, Zeebe];
    // Deployed through n2: the decision's key belongs to partition 2.
    const deployed = await zeebe2.deployResource({
      name: 'greeting.dmn',
      decision: Buffer.from(GREETING_DMN),
    });
    const decisionKey = String(deployed.deployments.find((d) => d.decision)!.decision!.decisionKey);
    for (const zeebe of [zeebe3, zeebe1]) {
      const answer = await onceDeployed('the decision on partition 1', () =>
        zeebe.evaluateDecision({ decisionKey, variables: { name: 'cluster' } }),
      );
      assert.equal(JSON.parse(answer.decisionOutput), 'hello cluster');
    }

    // A definition deployed through n1 (partition 1), with an instance on partition 2 (led by n2).
    const doomed = await zeebe1.deployResource({
      process: Buffer.from(await oneTask('doomed', 'doomed-work')),
      name: 'doomed.bpmn',
    });
    const doomedKey = String(doomed.deployments[0]!.process!.processDefinitionKey);
    const instance = await onceDeployed('the definition on partition 2', () =>
      zeebe2.createProcessInstance({ bpmnProcessId: 'doomed', variables: {} }),
    );
    // n3 leads nothing: the running instance on n2's partition refuses the deletion.
    await assert.rejects(zeebe3.deleteResource({ resourceKey: doomedKey }), /FAILED_PRECONDITION|running/);
    await zeebe3.cancelProcessInstance(instance.processInstanceKey);
    await zeebe3.deleteResource({ resourceKey: doomedKey });
    // Gone from both partitions.
    for (const zeebe of [zeebe1, zeebe2])
      await assert.rejects(
        zeebe.createProcessInstance({ bpmnProcessId: 'doomed', variables: {} }),
        /NOT_FOUND/,
      );

    // An instance on partition 1 migrated through n3 to a definition with one more task.
    await zeebe2.deployResource({
      process: Buffer.from(await oneTask('moving', 'moving-work')),
      name: 'moving.bpmn',
    });
    const target = await zeebe2.deployResource({
      process: Buffer.from(
        await createProcess('moved')
          .startEvent()
          .serviceTask('work', { type: 'moving-work' })
          .serviceTask('next', { type: 'moved-on' })
          .endEvent()
          .toXml(),
      ),
      name: 'moved.bpmn',
    });
    const moving = await onceDeployed('the definition on partition 1', () =>
      zeebe1.createProcessInstance({ bpmnProcessId: 'moving', variables: {} }),
    );
    const targetKey = String(target.deployments[0]!.process!.processDefinitionKey);
    await onceDeployed('the target definition on partition 1', () =>
      zeebe3.migrateProcessInstance({
        processInstanceKey: moving.processInstanceKey,
        migrationPlan: {
          targetProcessDefinitionKey: targetKey,
          mappingInstructions: [{ sourceElementId: 'work', targetElementId: 'work' }],
        },
      }),
    );
    const activate = async (type: string) => {
      let jobs: Awaited<ReturnType<Zeebe['activateJobs']>> = [];
      await until(`a ${type} job`, async () => {
        jobs = await zeebe2.activateJobs({
          type,
          worker: 'w',
          maxJobsToActivate: 1,
          timeout: 60_000,
          requestTimeout: -1,
        });
        return jobs.length > 0;
      });
      return jobs[0]!;
    };
    const first = await activate('moving-work');
    assert.equal(String(first.processInstanceKey), String(moving.processInstanceKey));
    assert.equal(first.bpmnProcessId, 'moved');
    await zeebe2.completeJob({ jobKey: first.key, variables: {} });
    const next = await activate('moved-on');
    assert.equal(String(next.processInstanceKey), String(moving.processInstanceKey));
  });

  it('an instance created with its result through a node that leads no partition', async () => {
    const [zeebe1, , zeebe3] = clients as [Zeebe, Zeebe, Zeebe];
    await zeebe1.deployResource({
      process: Buffer.from(
        await createProcess('instant')
          .startEvent()
          .serviceTask('work', { type: 'instant-work' })
          .endEvent()
          .toXml(),
      ),
      name: 'instant.bpmn',
    });
    const pushed = new Map<string, number>();
    const stream = await completingStream(zeebe1, 'instant-work', pushed, []);
    try {
      const results = await Promise.all(
        [1, 2, 3, 4].map((n) =>
          onceDeployed('instant deployed to every partition', () =>
            zeebe3.createProcessInstanceWithResult({ bpmnProcessId: 'instant', variables: { n } }),
          ),
        ),
      );
      assert.deepEqual(
        results.map((r) => r.variables),
        [1, 2, 3, 4].map((n) => ({ n })),
      );
    } finally {
      stream.close();
    }
  });

  it('call activities through every node, the callee’s jobs streamed from another node, across a failover: each instance completes once', async () => {
    const [zeebe1, zeebe2, zeebe3] = clients as [Zeebe, Zeebe, Zeebe];
    await zeebe1.deployResource({
      process: Buffer.from(await oneTask('callee', 'callee-work')),
      name: 'callee.bpmn',
    });
    await zeebe1.deployResource({ process: Buffer.from(CALLER), name: 'caller.bpmn' });
    const pushed = new Map<string, number>();
    const stream = () => completingStream(zeebe3, 'callee-work', pushed, []);
    const wave = () => createThrough([zeebe1, zeebe2], 'caller', 3);
    /** The completions of instances of a process in the log, as `partition:key`. */
    const completedOf = async (bpmnProcessId: string) =>
      (await logOf(schema, 2))
        .filter(
          (r) =>
            r.recordType === 'EVENT' &&
            r.valueType === 'PROCESS_INSTANCE' &&
            r.intent === 'ELEMENT_COMPLETED' &&
            r.value.bpmnElementType === 'PROCESS' &&
            r.value.bpmnProcessId === bpmnProcessId,
        )
        .map((r) => `${r.partitionId}:${r.key}`);
    const allDone = (keys: string[]) => async () => {
      const done = new Set((await completedOf('caller')).map((c) => c.split(':')[1]));
      return keys.every((key) => done.has(key));
    };

    const first = await wave();
    const firstStream = await stream();
    await until('the first wave completed', allDone(first), 60_000);
    firstStream.close();

    // The second wave waits in its callees while n2, leading partition 2, is killed.
    const second = await wave();
    n2.process.kill('SIGKILL');
    const secondStream = await stream();
    try {
      await until('the second wave completed after the failover', allDone([...first, ...second]), 90_000);
    } finally {
      secondStream.close();
    }
    const callers = await completedOf('caller');
    const callees = await completedOf('callee');
    assert.deepEqual(
      callers.map((c) => c.split(':')[1]).sort(),
      [...first, ...second].sort(),
      'each caller completed once',
    );
    assert.equal(new Set(callees).size, callees.length, 'no callee completed twice');
    // Each callee runs on its caller's partition (as in Zeebe): one per caller there.
    const perPartition = (list: string[]) =>
      [1, 2].map((p) => list.filter((c) => c.startsWith(`${p}:`)).length);
    assert.deepEqual(perPartition(callees), perPartition(callers));
    assert.deepEqual(perPartition(callers), [6, 6], 'callers on both partitions');
    for (const [key, times] of pushed) assert.equal(times, 1, `job ${key} pushed ${times} times`);
  });
});
