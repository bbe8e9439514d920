/**
 * Models for the tests of the `/v2` jobs, user tasks, decisions and forms: a service task with an error
 * boundary event, a Camunda user task linked to a form, a DMN with a required decision, and a process that
 * evaluates it in a business rule task.
 */
const bpmn = (id: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="${id}-definitions" targetNamespace="http://baton.dev/test">
  <bpmn:error id="declined-error" errorCode="DECLINED"/>
  <bpmn:process id="${id}" name="${id}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

/** `payment`: a job of type `charge` (header `region: eu`); the BPMN error DECLINED ends at `declined`. */
export const paymentXml = bpmn(
  'payment',
  `<bpmn:startEvent id="start"/>
    <bpmn:serviceTask id="charge"><bpmn:extensionElements><zeebe:taskDefinition type="charge" retries="3"/><zeebe:taskHeaders><zeebe:header key="region" value="eu"/></zeebe:taskHeaders></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:boundaryEvent id="caught" attachedToRef="charge"><bpmn:errorEventDefinition errorRef="declined-error"/></bpmn:boundaryEvent>
    <bpmn:endEvent id="paid"/><bpmn:endEvent id="declined"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="charge"/>
    <bpmn:sequenceFlow id="f2" sourceRef="charge" targetRef="paid"/>
    <bpmn:sequenceFlow id="f3" sourceRef="caught" targetRef="declined"/>`,
);

/** `review`: a Camunda user task `check` (candidate group `clerks`) linked to the form `review-form`. */
export const reviewXml = bpmn(
  'review',
  `<bpmn:startEvent id="start"/>
    <bpmn:userTask id="check" name="Check the order"><bpmn:extensionElements><zeebe:userTask/><zeebe:assignmentDefinition candidateGroups="clerks, leads"/><zeebe:formDefinition formId="review-form"/></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="done"/>`,
);

export const reviewForm = JSON.stringify({
  id: 'review-form',
  type: 'default',
  schemaVersion: 16,
  components: [{ key: 'approved', label: 'Approved', type: 'checkbox' }],
});

/** `pricing.dmn`: `discount` (a decision table, FIRST) requires `level` (a literal expression). */
export const pricingDmn = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="pricing" name="Pricing" namespace="http://baton.dev/test">
  <decision id="level" name="Customer level"><literalExpression id="levelExpr"><text>if orders &gt; 10 then "gold" else "silver"</text></literalExpression></decision>
  <decision id="discount" name="Discount">
    <informationRequirement id="needsLevel"><requiredDecision href="#level"/></informationRequirement>
    <decisionTable id="table" hitPolicy="UNIQUE">
      <input id="total" label="Total"><inputExpression id="ie1" typeRef="number"><text>total</text></inputExpression></input>
      <input id="lvl" label="Level"><inputExpression id="ie2" typeRef="string"><text>level</text></inputExpression></input>
      <output id="rate" name="discount" typeRef="number"/>
      <rule id="big"><inputEntry id="r1a"><text>&gt;= 100</text></inputEntry><inputEntry id="r1b"><text>"gold"</text></inputEntry><outputEntry id="r1c"><text>0.2</text></outputEntry></rule>
      <rule id="small"><inputEntry id="r2a"><text>&lt; 100</text></inputEntry><inputEntry id="r2b"><text>-</text></inputEntry><outputEntry id="r2c"><text>0</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;

/** `priced`: the business rule task `price` evaluates `discount` into the variable `discount`. */
export const pricedXml = bpmn(
  'priced',
  `<bpmn:startEvent id="start"/>
    <bpmn:businessRuleTask id="price"><bpmn:extensionElements><zeebe:calledDecision decisionId="discount" resultVariable="discount"/></bpmn:extensionElements></bpmn:businessRuleTask>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="price"/>
    <bpmn:sequenceFlow id="f2" sourceRef="price" targetRef="done"/>`,
);

/** Every model above, as `engine.deploy` takes them. */
export const taskModels = [
  { name: 'payment.bpmn', xml: paymentXml },
  { name: 'review.bpmn', xml: reviewXml },
  { name: 'review.form', xml: reviewForm },
  { name: 'pricing.dmn', xml: pricingDmn },
  { name: 'priced.bpmn', xml: pricedXml },
];

/** `agent`: an ad-hoc sub-process whose job worker (type `agent`) decides which of `lookup` and `notify` run. */
export const agentXml = bpmn(
  'agent',
  `<bpmn:startEvent id="start"/>
    <bpmn:adHocSubProcess id="tools"><bpmn:extensionElements><zeebe:taskDefinition type="agent"/></bpmn:extensionElements>
      <bpmn:serviceTask id="lookup"><bpmn:extensionElements><zeebe:taskDefinition type="lookup"/></bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:serviceTask id="notify"><bpmn:extensionElements><zeebe:taskDefinition type="notify"/></bpmn:extensionElements></bpmn:serviceTask>
    </bpmn:adHocSubProcess>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="tools"/>
    <bpmn:sequenceFlow id="f2" sourceRef="tools" targetRef="done"/>`,
);
