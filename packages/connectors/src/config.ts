import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseDuration } from '@baton-engine/engine';
import { checkPattern, checkSubject, subjectMatches } from './bus/subjects.js';
import { fieldSyntaxError } from './feel-fields.js';

/** The default job type of outbound connectors (send tasks, message throw and end events). */
export const BUS_PUBLISH_JOB_TYPE = 'baton:bus-publish';

/** A FEEL expression (`=…`) or static text, checked for syntax when the configuration is read. */
const field = z.string().superRefine((text, ctx) => {
  const error = fieldSyntaxError(text);
  if (error) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `invalid FEEL in '${text}': ${error}` });
});

/** Milliseconds, or an ISO 8601 duration (`PT1H`, `P14D`; no years or months). */
const duration = z.union([z.number().int().nonnegative(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const parsed = parseDuration(value);
  if (!parsed || parsed.years !== 0 || parsed.months !== 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `expected milliseconds or an ISO 8601 duration such as 'PT1H' or 'P14D', got '${value}'`,
    });
    return z.NEVER;
  }
  return parsed.millis;
});

const subjectPattern = z.string().superRefine((subject, ctx) => {
  try {
    checkPattern(subject);
  } catch (error) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
  }
});

const publishSubject = z.string().superRefine((subject, ctx) => {
  try {
    checkSubject(subject);
  } catch (error) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
  }
});

const busSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('memory') }).strict(),
  z
    .object({
      kind: z.literal('nats'),
      servers: z.union([z.string(), z.array(z.string()).nonempty()]).default('nats://127.0.0.1:4222'),
      stream: z.string().min(1).default('BATON'),
      subjectPrefix: z.string().default('baton.'),
      streamSubjects: z.array(z.string()).nonempty().optional(),
      duplicateWindow: duration.optional(),
      ackWait: duration.optional(),
      user: z.string().optional(),
      pass: z.string().optional(),
      token: z.string().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('amqp'),
      url: z.string().default('amqp://guest:guest@127.0.0.1:5672'),
      exchange: z.string().min(1).default('baton'),
      queuePrefix: z.string().default('baton.'),
    })
    .strict(),
]);

const correlateSchema = z
  .object({
    /** The BPMN message name, static or FEEL over the envelope (`=type`). */
    messageName: field,
    /** The correlation key; empty for message start events without one. */
    correlationKey: field.default(''),
    /** The id the engine de-duplicates by while the message is buffered (default the envelope id). */
    messageId: field.default('=id'),
    variables: field.default('=data'),
    /** How long the engine buffers the message for a subscription opened later, and refuses its id again. */
    timeToLive: duration.default('PT1H'),
  })
  .strict();

const createInstanceSchema = z
  .object({
    bpmnProcessId: z.string().min(1),
    variables: field.default('=data'),
  })
  .strict();

const inboundSchema = z
  .object({
    /** Shown in logs and metrics; default the subject. */
    name: z.string().optional(),
    subject: subjectPattern,
    /** The durable group (queue, consumer); subscriptions of several Baton nodes with one group share messages. */
    group: z.string().min(1).optional(),
    /** Only messages for which this is true are processed; the others are acknowledged and skipped. */
    activationCondition: field.optional(),
    correlate: correlateSchema.optional(),
    createInstance: createInstanceSchema.optional(),
    maxInFlight: z.number().int().positive().default(64),
  })
  .strict()
  .superRefine((inbound, ctx) => {
    if (Boolean(inbound.correlate) === Boolean(inbound.createInstance)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: "give exactly one of 'correlate' (publish a message) and 'createInstance'",
      });
    }
  });

const deadLetterSchema = z
  .object({
    /** Park inbound messages that can never be processed; `false` drops them (logged and counted). */
    enabled: z.boolean().default(true),
    /** Where they are parked (default `<source>.dead-letter`). */
    subject: publishSubject.optional(),
    /** The durable group that keeps them for whoever reads them (default: the subject). */
    group: z.string().min(1).optional(),
    /** Refusals that may pass (process not deployed, a processing error) before a message is parked. */
    maxRefusals: z.number().int().positive().default(5),
  })
  .strict();

/** The dead-letter subject when none is configured. */
export const defaultDeadLetterSubject = (source: string) => `${source}.dead-letter`;

const configSchema = z
  .object({
    bus: busSchema,
    /** `source` of the envelopes Baton publishes, and the namespace of their ids: unique per engine on a bus. */
    source: z.string().min(1).default('baton'),
    outbound: z
      .object({
        enabled: z.boolean().default(true),
        jobType: z.string().min(1).default(BUS_PUBLISH_JOB_TYPE),
        maxJobsActive: z.number().int().positive().default(32),
        jobTimeout: duration.default('PT30S'),
      })
      .strict()
      .default({}),
    inbound: z.array(inboundSchema).default([]),
    /** Subscribe the message start and catch events bound to a subject in deployed models. */
    modelSubscriptions: z.boolean().default(true),
    deadLetter: deadLetterSchema.default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    const deadLetter = config.deadLetter;
    const deadLetterSubject = deadLetter.subject ?? defaultDeadLetterSubject(config.source);
    if (deadLetter.enabled && deadLetter.subject === undefined) {
      try {
        checkSubject(deadLetterSubject);
      } catch {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['deadLetter', 'subject'],
          message: `the default '${deadLetterSubject}' (from 'source') is not a valid subject; set one`,
        });
      }
    }
    if (deadLetter.enabled) {
      config.inbound.forEach((entry, i) => {
        if (!subjectMatches(entry.subject, deadLetterSubject)) return;
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['inbound', i, 'subject'],
          message: `'${entry.subject}' takes the dead-letter subject '${deadLetterSubject}' too, where this subscription's own bad messages would go; subscribe to narrower subjects or move deadLetter.subject`,
        });
      });
    }
    const groups = new Map<string, number>();
    config.inbound.forEach((entry, i) => {
      const group = entry.group ?? defaultGroup(entry);
      const first = groups.get(group);
      if (first === undefined) groups.set(group, i);
      else {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['inbound', i, 'group'],
          message: `group '${group}' is used by inbound[${first}] too; give each subscription its own group`,
        });
      }
    });
    const deadLetterGroup = deadLetter.group ?? deadLetterSubject;
    if (deadLetter.enabled && groups.has(deadLetterGroup)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['deadLetter', 'group'],
        message: `group '${deadLetterGroup}' is used by inbound[${groups.get(deadLetterGroup)}]; the dead letters need a group of their own`,
      });
    }
  })
  .transform((config) => {
    const subject = config.deadLetter.subject ?? defaultDeadLetterSubject(config.source);
    return {
      ...config,
      deadLetter: { ...config.deadLetter, subject, group: config.deadLetter.group ?? subject },
    };
  });

/** The group of a configured subscription without one: stable as long as its subject and target are. */
export function defaultGroup(entry: {
  readonly subject: string;
  readonly createInstance?: { readonly bpmnProcessId: string };
}): string {
  const target = entry.createInstance ? `.start.${entry.createInstance.bpmnProcessId}` : '';
  return `baton.${entry.subject}${target}`;
}

export type ConnectorsConfig = z.output<typeof configSchema>;
export type ConnectorsConfigInput = z.input<typeof configSchema>;
export type BusConfig = ConnectorsConfig['bus'];
export type InboundConfig = ConnectorsConfig['inbound'][number];
export type DeadLetterConfig = ConnectorsConfig['deadLetter'];
/** An inbound subscription as written in a configuration (defaults not filled in yet). */
export type InboundConfigInput = NonNullable<ConnectorsConfigInput['inbound']>[number];

/** The configuration is invalid; the message names every problem by its path (`inbound[0].subject: …`). */
export class ConnectorsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectorsConfigError';
  }
}

/** Validates a configuration object and fills in the defaults; throws `ConnectorsConfigError`. */
export function parseConnectorsConfig(input: unknown, origin = 'connectors configuration'): ConnectorsConfig {
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${pathOf(issue.path)}: ${describe(issue)}`);
  throw new ConnectorsConfigError(`${origin} is invalid:\n${problems.join('\n')}`);
}

/** Reads and validates a JSON configuration file. */
export function loadConnectorsConfig(path: string): ConnectorsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConnectorsConfigError(
      `cannot read the connectors configuration ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConnectorsConfigError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConnectorsConfig(json, path);
}

function pathOf(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function describe(issue: z.ZodIssue): string {
  if (issue.code === 'invalid_union_discriminator') {
    return `expected one of ${issue.options.map((o) => `'${String(o)}'`).join(', ')}`;
  }
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return 'required';
  return issue.message;
}
