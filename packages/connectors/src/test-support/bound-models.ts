/** Models whose events are bound to the bus in the model itself, as drawn in Camunda Modeler. */
export function boundOrderXml(options: { startBinding?: boolean; version?: string } = {}): string {
  const startBinding = options.startBinding ?? true;
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bound-order-defs" targetNamespace="http://baton.dev/test">
  <bpmn:message id="placed" name="order.placed"/>
  <bpmn:message id="paid" name="payment.received">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:process id="bound-order" name="Bound order ${options.version ?? ''}" isExecutable="true">
    <bpmn:startEvent id="order-placed">
      ${
        startBinding
          ? `<bpmn:extensionElements>
        <zeebe:properties>
          <zeebe:property name="inbound.type" value="baton:bus-subscribe"/>
          <zeebe:property name="inbound.subject" value="orders.placed"/>
          <zeebe:property name="activationCondition" value="=data.total &gt; 0"/>
          <zeebe:property name="resultExpression" value="={ orderId: data.orderId, total: data.total }"/>
        </zeebe:properties>
      </bpmn:extensionElements>`
          : ''
      }
      <bpmn:messageEventDefinition messageRef="placed"/>
    </bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="payment-received">
      <bpmn:extensionElements>
        <zeebe:properties>
          <zeebe:property name="inbound.type" value="baton:bus-subscribe"/>
          <zeebe:property name="inbound.subject" value="payment.events.*"/>
          <zeebe:property name="activationCondition" value="=type = &quot;payment.received&quot;"/>
          <zeebe:property name="correlationKeyExpression" value="=data.orderId"/>
          <zeebe:property name="resultVariable" value="payment"/>
        </zeebe:properties>
      </bpmn:extensionElements>
      <bpmn:messageEventDefinition messageRef="paid"/>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="f1" sourceRef="order-placed" targetRef="payment-received"/>
    <bpmn:sequenceFlow id="f2" sourceRef="payment-received" targetRef="done"/>
  </bpmn:process>
</bpmn:definitions>`;
}

/** A catch event bound to the bus without a correlation key expression: a binding problem. */
export const badlyBoundXml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bad-defs" targetNamespace="http://baton.dev/test">
  <bpmn:message id="m" name="shipped">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:process id="badly-bound" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:intermediateCatchEvent id="wait-shipped">
      <bpmn:extensionElements>
        <zeebe:properties>
          <zeebe:property name="inbound.type" value="baton:bus-subscribe"/>
          <zeebe:property name="inbound.subject" value="shipping.events"/>
        </zeebe:properties>
      </bpmn:extensionElements>
      <bpmn:messageEventDefinition messageRef="m"/>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="wait-shipped"/>
    <bpmn:sequenceFlow id="f2" sourceRef="wait-shipped" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>`;
