import type { ProcessingContext } from '../../processing/processing-context.js';
import type { LoggedRecordOf } from '../../records/record.js';
import type { DecisionRequirementsMetadata, DeployedDecisionMetadata } from '../../records/deployment.js';
import { checksumOf } from './checksum.js';

/**
 * Writes DECISION CREATED for every decision of the compiled DMN resources. As in Zeebe, each DMN resource is
 * a decision requirements graph (DRG) with its own key and version (by the definitions' id), shared by its
 * decisions; the same resource again is a duplicate that keeps its DRG and decisions.
 */
export function deployDecisions(
  ctx: ProcessingContext,
  value: LoggedRecordOf<'DEPLOYMENT'>['value'],
  deploymentKey: string,
): { decisions: DeployedDecisionMetadata[]; decisionRequirements: DecisionRequirementsMetadata[] } {
  const decisions: DeployedDecisionMetadata[] = [];
  const decisionRequirements: DecisionRequirementsMetadata[] = [];
  for (const { resourceIndex, drg } of value.compiledDrgs ?? []) {
    const resource = value.resources[resourceIndex]!;
    const checksum = checksumOf(resource.content);
    const deployed = Object.values(drg.decisions).map((d) => ctx.state.latestDecision(d.id));
    const previous = deployed[0];
    const duplicate =
      previous?.decisionRequirementsKey !== undefined &&
      deployed.every(
        (latest) =>
          latest !== undefined &&
          latest.checksum === checksum &&
          latest.resource === resource.content &&
          latest.decisionRequirementsKey === previous.decisionRequirementsKey,
      );
    const graph = duplicate
      ? {
          key: previous.decisionRequirementsKey!,
          version: previous.decisionRequirementsVersion ?? 1,
        }
      : { key: ctx.nextKey(), version: latestGraphVersion(ctx, drg.id) + 1 };
    decisionRequirements.push({
      decisionRequirementsId: drg.id,
      decisionRequirementsName: drg.name,
      decisionRequirementsVersion: graph.version,
      decisionRequirementsKey: graph.key,
      resourceName: resource.resourceName,
      duplicate,
    });
    for (const [index, decision] of Object.values(drg.decisions).entries()) {
      const common = {
        decisionId: decision.id,
        decisionName: decision.name,
        decisionRequirementsId: drg.id,
        decisionRequirementsKey: graph.key,
      };
      const latest = deployed[index];
      if (duplicate && latest) {
        decisions.push({ ...common, version: latest.version, decisionKey: latest.decisionKey, duplicate });
        continue;
      }
      const decisionKey = ctx.nextKey();
      const version = (latest?.version ?? 0) + 1;
      ctx.appendEvent(decisionKey, {
        valueType: 'DECISION',
        intent: 'CREATED',
        value: {
          ...common,
          version,
          decisionKey,
          decisionRequirementsName: drg.name,
          decisionRequirementsVersion: graph.version,
          resourceName: resource.resourceName,
          checksum,
          resource: resource.content,
          deploymentKey,
          drg,
        },
      });
      decisions.push({ ...common, version, decisionKey, duplicate: false });
    }
  }
  return { decisions, decisionRequirements };
}

/** The highest version of the decision requirements graph `id` deployed so far (0 when none). */
function latestGraphVersion(ctx: ProcessingContext, id: string): number {
  let version = 0;
  for (const d of ctx.state.decisions()) {
    if (d.decisionRequirementsId === id) version = Math.max(version, d.decisionRequirementsVersion ?? 1);
  }
  return version;
}
