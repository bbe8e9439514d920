/** A problem that makes a resource undeployable, naming where it is. */
export interface ModelProblem {
  readonly elementId?: string;
  readonly line?: number;
  readonly message: string;
}

export function formatProblems(resourceName: string, problems: readonly ModelProblem[]): string {
  const lines = problems.map((p) => {
    const where = [
      p.elementId ? `element '${p.elementId}'` : undefined,
      p.line ? `line ${p.line}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    return `- ${where ? `${where}: ` : ''}${p.message}`;
  });
  return `'${resourceName}' is not deployable:\n${lines.join('\n')}`;
}
