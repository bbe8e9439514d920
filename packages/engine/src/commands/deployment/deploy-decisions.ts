import type { ProcessingContext } from '../../processing/processing-context.js';
import type { LoggedRecordOf } from '../../records/record.js';
import { checksumOf } from './checksum.js';

type Metadata = { decisionId: string; version: number; decisionKey: string; duplicate: boolean };

/** Writes DECISION CREATED for every decision of the compiled DMN resources (same resource → same version). */
export function deployDecisions(
  ctx: ProcessingContext,
  value: LoggedRecordOf<'DEPLOYMENT'>['value'],
  deploymentKey: string,
): Metadata[] {
  const metadata: Metadata[] = [];
  for (const { resourceIndex, drg } of value.compiledDrgs ?? []) {
    const resource = value.resources[resourceIndex]!;
    const checksum = checksumOf(resource.content);
    for (const decision of Object.values(drg.decisions)) {
      const latest = ctx.state.latestDecision(decision.id);
      if (latest && latest.checksum === checksum && latest.resource === resource.content) {
        metadata.push({
          decisionId: decision.id,
          version: latest.version,
          decisionKey: latest.decisionKey,
          duplicate: true,
        });
        continue;
      }
      const decisionKey = ctx.nextKey();
      const version = (latest?.version ?? 0) + 1;
      ctx.appendEvent(decisionKey, {
        valueType: 'DECISION',
        intent: 'CREATED',
        value: {
          decisionId: decision.id,
          decisionName: decision.name,
          version,
          decisionKey,
          decisionRequirementsId: drg.id,
          resourceName: resource.resourceName,
          checksum,
          resource: resource.content,
          deploymentKey,
          drg,
        },
      });
      metadata.push({ decisionId: decision.id, version, decisionKey, duplicate: false });
    }
  }
  return metadata;
}
