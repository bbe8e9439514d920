import { BUS_PUBLISH_JOB_TYPE } from '@baton/connectors';

/**
 * The job options of a send task or message throw/end event that publishes on the bus (docs/connectors.md):
 * the connectors build the envelope from these headers and the instance's variables, after commit.
 */
export function publish(subject: string, messageType: string, payload: string) {
  return {
    type: BUS_PUBLISH_JOB_TYPE,
    headers: { subject, messageType, payload, correlationId: '=orderId', traceId: '=traceId' },
  };
}
