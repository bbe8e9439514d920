import { BUS_PUBLISH_JOB_TYPE } from '@baton-engine/connectors';

/**
 * The job options of a send task or message throw/end event that publishes on the bus (docs/connectors.md):
 * the connectors build the envelope from these headers and the instance's variables, after commit. `source`
 * names the service whose flow sends it.
 */
export function publish(source: string, subject: string, messageType: string, payload: string) {
  return {
    type: BUS_PUBLISH_JOB_TYPE,
    headers: { source, subject, messageType, payload, correlationId: '=orderId', traceId: '=traceId' },
  };
}
