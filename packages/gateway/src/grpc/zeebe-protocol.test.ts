import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Camunda8 } from '@camunda8/sdk';
import { createEngine, createProcess } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { NO_AUTHENTICATION } from '../auth/authenticator.js';
import { startGrpcGateway } from './server.js';
import type { RunningGrpcGateway } from './server.js';
import { stateOf } from '@baton-engine/baton/internal';

/* eslint-disable @typescript-eslint/no-explicit-any -- answers of the SDK, checked field by field */

type Zeebe = ReturnType<Camunda8['getZeebeGrpcApiClient']>;

/** Four rules over one input; an amount of 250 matches only the second ("medium"). */
const RISK_DMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="risk_drg" name="Risk rules" namespace="http://baton.dev/test">
  <decision id="risk" name="Assess risk">
    <decisionTable id="riskTable" hitPolicy="UNIQUE">
      <input id="amountInput" label="Order amount"><inputExpression id="amountExpr" typeRef="number"><text>amount</text></inputExpression></input>
      <output id="levelOutput" label="Risk level" name="level" typeRef="string"/>
      <rule id="low"><inputEntry id="low_in"><text>&lt; 100</text></inputEntry><outputEntry id="low_out"><text>"low"</text></outputEntry></rule>
      <rule id="medium"><inputEntry id="medium_in"><text>[100..500)</text></inputEntry><outputEntry id="medium_out"><text>"medium"</text></outputEntry></rule>
      <rule id="high"><inputEntry id="high_in"><text>[500..1000)</text></inputEntry><outputEntry id="high_out"><text>"high"</text></outputEntry></rule>
      <rule id="extreme"><inputEntry id="extreme_in"><text>&gt;= 1000</text></inputEntry><outputEntry id="extreme_out"><text>"extreme"</text></outputEntry></rule>
    </decisionTable>
  </decision>
  <decision id="approval" name="Approve order">
    <informationRequirement id="needsRisk"><requiredDecision href="#risk"/></informationRequirement>
    <literalExpression id="approvalExpr"><text>risk != "extreme"</text></literalExpression>
  </decision>
</definitions>`;

/** The SDK's Zeebe client as an application configures it; `tenantId` is CAMUNDA_TENANT_ID. */
function sdkClient(port: number, tenantId?: string): Zeebe {
  return new Camunda8({
    ZEEBE_GRPC_ADDRESS: `grpc://localhost:${port}`,
    CAMUNDA_AUTH_STRATEGY: 'NONE',
    ...(tenantId ? { CAMUNDA_TENANT_ID: tenantId } : {}),
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false },
  } as never).getZeebeGrpcApiClient();
}

describe('Zeebe protocol details over the official @camunda8/sdk', () => {
  let engine: Engine;
  let gateway: RunningGrpcGateway;
  let zeebe: Zeebe;

  before(async () => {
    engine = await createEngine({ store: 'memory' });
    gateway = await startGrpcGateway(engine, { host: '127.0.0.1', port: 0, auth: NO_AUTHENTICATION });
    zeebe = sdkClient(gateway.port);
  });
  after(async () => {
    await zeebe.close();
    await gateway.stop();
    await engine.close();
  });

  it('Topology reports the Camunda version whose proto is served (from @camunda8/sdk), for gateway and broker', async () => {
    const sdk = createRequire(import.meta.url)('@camunda8/sdk/package.json') as { version: string };
    const [major, minor] = sdk.version.split('.');
    const topology = await zeebe.topology();
    assert.equal(topology.gatewayVersion, `${major}.${minor}.0`);
    assert.equal((topology.brokers[0] as unknown as { version: string }).version, topology.gatewayVersion);
    assert.match(topology.gatewayVersion, /^8\.8\./, 'the SDK of the 8.8 line is installed');
  });

  it('DeployResource and EvaluateDecision fill every decision field as Zeebe does (DMN with 4 rules, the 2nd matching)', async () => {
    const deployment = await zeebe.deployResource({ name: 'risk.dmn', decision: Buffer.from(RISK_DMN) });
    const entries = deployment.deployments as any[];
    const drg = entries.find((d) => d.decisionRequirements)?.decisionRequirements;
    assert.ok(drg, 'a decisionRequirements entry');
    assert.notEqual(String(drg.decisionRequirementsKey), '0');
    assert.deepEqual(
      { ...drg, decisionRequirementsKey: undefined },
      {
        dmnDecisionRequirementsId: 'risk_drg',
        dmnDecisionRequirementsName: 'Risk rules',
        version: 1,
        decisionRequirementsKey: undefined,
        resourceName: 'risk.dmn',
        tenantId: '<default>',
      },
    );
    const decisions = entries.filter((d) => d.decision).map((d) => d.decision);
    assert.deepEqual(
      decisions.map((d) => [d.dmnDecisionId, d.dmnDecisionName, d.version, d.dmnDecisionRequirementsId]),
      [
        ['risk', 'Assess risk', 1, 'risk_drg'],
        ['approval', 'Approve order', 1, 'risk_drg'],
      ],
    );
    for (const d of decisions) {
      assert.equal(String(d.decisionRequirementsKey), String(drg.decisionRequirementsKey));
      assert.notEqual(String(d.decisionKey), '0');
    }
    const riskKey = String(decisions[0].decisionKey);
    const approvalKey = String(decisions[1].decisionKey);

    const answer = (await zeebe.evaluateDecision({
      decisionId: 'approval',
      variables: { amount: 250 },
    })) as any;
    assert.notEqual(String(answer.decisionInstanceKey), '0');
    assert.deepEqual(
      {
        decisionKey: String(answer.decisionKey),
        decisionId: answer.decisionId,
        decisionName: answer.decisionName,
        decisionVersion: answer.decisionVersion,
        decisionRequirementsId: answer.decisionRequirementsId,
        decisionRequirementsKey: String(answer.decisionRequirementsKey),
        decisionOutput: answer.decisionOutput,
        failedDecisionId: answer.failedDecisionId,
        failureMessage: answer.failureMessage,
        tenantId: answer.tenantId,
      },
      {
        decisionKey: approvalKey,
        decisionId: 'approval',
        decisionName: 'Approve order',
        decisionVersion: 1,
        decisionRequirementsId: 'risk_drg',
        decisionRequirementsKey: String(drg.decisionRequirementsKey),
        decisionOutput: 'true',
        failedDecisionId: '',
        failureMessage: '',
        tenantId: '<default>',
      },
    );
    const [risk, approval] = answer.evaluatedDecisions;
    assert.deepEqual(
      { ...risk, decisionKey: String(risk.decisionKey) },
      {
        decisionKey: riskKey,
        decisionId: 'risk',
        decisionName: 'Assess risk',
        decisionVersion: 1,
        decisionType: 'DECISION_TABLE',
        decisionOutput: '"medium"',
        evaluatedInputs: [{ inputId: 'amountInput', inputName: 'Order amount', inputValue: '250' }],
        matchedRules: [
          {
            ruleId: 'medium',
            ruleIndex: 2,
            evaluatedOutputs: [
              { outputId: 'levelOutput', outputName: 'Risk level', outputValue: '"medium"' },
            ],
          },
        ],
        tenantId: '<default>',
      },
    );
    assert.deepEqual(
      { ...approval, decisionKey: String(approval.decisionKey) },
      {
        decisionKey: approvalKey,
        decisionId: 'approval',
        decisionName: 'Approve order',
        decisionVersion: 1,
        decisionType: 'LITERAL_EXPRESSION',
        decisionOutput: 'true',
        evaluatedInputs: [],
        matchedRules: [],
        tenantId: '<default>',
      },
    );

    // A failing decision is an answer naming it, not an error (Zeebe writes DECISION_EVALUATION FAILED).
    const failed = (await zeebe.evaluateDecision({ decisionId: 'approval', variables: {} })) as any;
    assert.equal(failed.decisionId, 'approval');
    assert.equal(failed.failedDecisionId, 'risk');
    assert.match(
      failed.failureMessage,
      /^Expected to evaluate decision 'risk', but hit policy UNIQUE requires a matching rule/,
    );
    assert.equal(failed.decisionOutput, '');

    const again = await zeebe.deployResource({ name: 'risk.dmn', decision: Buffer.from(RISK_DMN) });
    const sameDrg = (again.deployments as any[]).find((d) => d.decisionRequirements).decisionRequirements;
    assert.equal(String(sameDrg.decisionRequirementsKey), String(drg.decisionRequirementsKey), 'a duplicate');
    const changed = await zeebe.deployResource({
      name: 'risk.dmn',
      decision: Buffer.from(RISK_DMN.replace('Risk rules', 'Risk rules v2')),
    });
    const nextDrg = (changed.deployments as any[]).find((d) => d.decisionRequirements).decisionRequirements;
    assert.equal(nextDrg.version, 2);
    assert.equal(nextDrg.dmnDecisionRequirementsName, 'Risk rules v2');
    assert.notEqual(String(nextDrg.decisionRequirementsKey), String(drg.decisionRequirementsKey));

    // DeleteResource takes a decision requirements key: all its decisions go, the previous version is latest.
    await zeebe.deleteResource({ resourceKey: String(nextDrg.decisionRequirementsKey) });
    const previous = (await zeebe.evaluateDecision({
      decisionId: 'approval',
      variables: { amount: 250 },
    })) as any;
    assert.equal(previous.decisionVersion, 1);
    assert.equal(String(previous.decisionRequirementsKey), String(drg.decisionRequirementsKey));
  });

  it('refuses a tenant other than <default> on every tenant-owned RPC, as Zeebe does with multi-tenancy off', async () => {
    const xml = await createProcess('tenanted')
      .startEvent()
      .serviceTask('work', { type: 'tenant-work' })
      .endEvent()
      .toXml();
    const refused = (rpc: string) => (error: any) => {
      assert.equal(error.code, 3, `${rpc}: INVALID_ARGUMENT`);
      assert.match(
        error.details ?? error.message,
        new RegExp(
          `Expected to handle gRPC request ${rpc} with tenant identifier 'red', but multi-tenancy is disabled`,
        ),
      );
      return true;
    };
    await assert.rejects(
      zeebe.deployResource({ name: 'tenanted.bpmn', process: Buffer.from(xml), tenantId: 'red' }),
      refused('DeployResource'),
    );
    assert.equal(stateOf(engine).latestProcess?.('tenanted'), undefined);
    const deployed = await zeebe.deployResource({
      name: 'tenanted.bpmn',
      process: Buffer.from(xml),
      tenantId: '<default>',
    });
    assert.equal(deployed.tenantId, '<default>');
    await zeebe.deployResource({ name: 'risk.dmn', decision: Buffer.from(RISK_DMN) });
    await assert.rejects(
      zeebe.createProcessInstance({ bpmnProcessId: 'tenanted', variables: {}, tenantId: 'red' }),
      refused('CreateProcessInstance'),
    );
    await assert.rejects(
      zeebe.createProcessInstanceWithResult({ bpmnProcessId: 'tenanted', variables: {}, tenantId: 'red' }),
      refused('CreateProcessInstanceWithResult'),
    );
    await assert.rejects(
      zeebe.publishMessage({ name: 'm', correlationKey: 'k', variables: {}, tenantId: 'red' }),
      refused('PublishMessage'),
    );
    await assert.rejects(
      zeebe.broadcastSignal({ signalName: 's', variables: {}, tenantId: 'red' }),
      refused('BroadcastSignal'),
    );
    await assert.rejects(
      zeebe.evaluateDecision({ decisionId: 'risk', variables: { amount: 1 }, tenantId: 'red' }),
      refused('EvaluateDecision'),
    );
    const instance = await zeebe.createProcessInstance({ bpmnProcessId: 'tenanted', variables: {} });
    assert.equal(instance.tenantId, '<default>');
    // The SDK's activateJobs sends the client's CAMUNDA_TENANT_ID, whatever tenantIds says.
    const red = sdkClient(gateway.port, 'red');
    await assert.rejects(
      red.activateJobs({
        type: 'tenant-work',
        worker: 'w',
        maxJobsToActivate: 10,
        timeout: 10_000,
        requestTimeout: -1,
        tenantIds: ['red'],
      }),
      refused('ActivateJobs'),
    );
    await red.close();
    const jobs = await zeebe.activateJobs({
      type: 'tenant-work',
      worker: 'w',
      maxJobsToActivate: 10,
      timeout: 10_000,
      requestTimeout: -1,
      tenantIds: ['<default>'],
    });
    assert.equal(jobs.length, 1, 'the <default> tenant is served');
    assert.equal(jobs[0]!.tenantId, '<default>');
  });
});
