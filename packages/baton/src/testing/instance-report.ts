import type { ElementTrace, InstanceHistory } from './instance-history.js';
import type { TestJob } from './jobs.js';

/** What a report needs besides the history: the live jobs, and the histories of called instances. */
export interface ReportSources {
  jobsOfInstance(processInstanceKey: string): readonly TestJob[];
  instance(processInstanceKey: string): InstanceHistory;
}

const LABEL_WIDTH = 20;
const VALUE_LIMIT = 200;

/**
 * Says where a process instance actually is, for failure messages: its status, the elements it waits at
 * (with their jobs), the elements it completed, open incidents, its variables and the instances it called.
 */
export function describeInstance(history: InstanceHistory, sources: ReportSources): string {
  if (history.status === 'UNKNOWN') {
    return (
      `No event of process instance ${history.processInstanceKey} was committed on this engine ` +
      '(is the key right, and was the instance created on this test engine?)'
    );
  }
  const jobs = sources.jobsOfInstance(history.processInstanceKey);
  const lines = [
    `Process instance ${history.processInstanceKey} of '${history.bpmnProcessId}' (version ${history.version}) is ${history.status}.`,
    line(
      'Waiting at',
      history.activeElements().map((e) => activeElement(e, jobs)),
    ),
    // Completed and terminated elements can be many: all on one line, in order, keeps the report short.
    line('Completed', history.completed.length > 0 ? [history.completed.join(', ')] : []),
  ];
  if (history.terminated.length > 0) lines.push(line('Terminated', [history.terminated.join(', ')]));
  lines.push(
    line(
      'Open incidents',
      history
        .openIncidents()
        .map((i) => `${i.elementId}: ${i.errorType} '${i.errorMessage}' (incident ${i.key})`),
    ),
  );
  lines.push(
    line(
      'Variables',
      Object.entries(history.variables()).map(([name, value]) => `${name} = ${formatValue(value)}`),
    ),
  );
  const called = [...history.calledInstanceKeys].map((key) => {
    const child = sources.instance(key);
    return `${key} of '${child.bpmnProcessId}' is ${child.status}`;
  });
  if (called.length > 0) lines.push(line('Called instances', called));
  return lines.join('\n');
}

function line(label: string, items: readonly string[]): string {
  const head = `  ${`${label}:`.padEnd(LABEL_WIDTH)}`;
  if (items.length === 0) return `${head}(none)`;
  return head + items.join(`\n${' '.repeat(head.length)}`);
}

function activeElement(element: ElementTrace, jobs: readonly TestJob[]): string {
  const details: string[] = [element.elementType];
  if (element.intent !== 'ELEMENT_ACTIVATED') details.push(element.intent);
  const job = jobs.find((j) => j.elementInstanceKey === element.key);
  if (job) details.push(describeJob(job));
  return `${element.elementId} (${details.join('; ')})`;
}

/** One job in a line: its type, state, retries, and when a deadline or back-off ends. */
export function describeJob(job: TestJob): string {
  const parts = [
    `job '${job.type}' ${job.state}`,
    `${job.retries} ${job.retries === 1 ? 'retry' : 'retries'} left`,
  ];
  if (job.state === 'ACTIVATED' && job.deadline > 0) parts.push(`times out at ${iso(job.deadline)}`);
  if (job.state === 'BACKOFF' && job.recurringTime > 0)
    parts.push(`back-off until ${iso(job.recurringTime)}`);
  return parts.join(', ');
}

/** A variable value in a message: JSON, shortened so that one large document does not drown the rest. */
export function formatValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > VALUE_LIMIT ? `${text.slice(0, VALUE_LIMIT)}…` : text;
}

function iso(epochMillis: number): string {
  return new Date(epochMillis).toISOString();
}
