import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../engine.js';
import { BatonError } from '../errors.js';
import { createProcess } from '../index.js';

// A command carrying too much (nesting, names, size) is refused alone, before it is queued: it used to fail
// its whole batch at append (JSON.stringify: maximum call stack) and the clients sharing the batch with it.

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { inner: value };
  return value;
}

const refused = (pattern: RegExp) => (error: unknown) =>
  error instanceof BatonError && error.code === 'INVALID_ARGUMENT' && pattern.test(error.message);

describe('limits on what one command carries', () => {
  it('refuses a deeply nested document alone; the commands around it go on', async () => {
    const engine = await createEngine({ store: 'memory' });
    try {
      await engine.deploy(createProcess('p').startEvent().userTask('wait').endEvent().done());
      const before = Array.from({ length: 20 }, (_, n) => engine.createInstance('p', { n }));
      const deep = engine.createInstance('p', { deep: nested(5_000) });
      const after = Array.from({ length: 20 }, (_, n) => engine.createInstance('p', { n }));
      await assert.rejects(deep, refused(/'variables\.deep(\.inner)+' to nest at most 100 levels deep/));
      const others = await Promise.allSettled([...before, ...after]);
      assert.deepEqual(
        others.filter((o) => o.status === 'rejected'),
        [],
        'no other command of the batch failed',
      );
      // The same at the job and variable commands, and in a message.
      await assert.rejects(engine.publishMessage('m', 'k', { x: nested(200) }), refused(/nest at most 100/));
    } finally {
      await engine.close();
    }
  });

  it('refuses __proto__ by name instead of dropping it', async () => {
    const engine = await createEngine({ store: 'memory' });
    try {
      await engine.deploy(createProcess('p').startEvent().userTask('wait').endEvent().done());
      const variables = JSON.parse('{"order": {"__proto__": {"admin": true}}}') as Record<string, unknown>;
      await assert.rejects(
        engine.createInstance('p', variables),
        refused(/no property named '__proto__' in 'variables\.order'/),
      );
      await assert.rejects(
        engine.createInstance('p', JSON.parse('{"__proto__": 1}') as Record<string, unknown>),
        refused(/'__proto__' in 'variables'/),
      );
    } finally {
      await engine.close();
    }
  });

  it('refuses a number JSON cannot hold (1e309, NaN) instead of reading it back as null after a restart', async () => {
    // Found by the variables fuzzing: `{"x": 1e309}` parses to Infinity, was accepted and kept in memory as
    // Infinity, but the log is JSON, so the replayed state had null: live and replayed state differed.
    const engine = await createEngine({ store: 'memory' });
    try {
      await engine.deploy(createProcess('p').startEvent().userTask('wait').endEvent().done());
      const variables = JSON.parse('{"order": {"total": -1e309}}') as Record<string, unknown>;
      await assert.rejects(
        engine.createInstance('p', variables),
        refused(/'variables\.order\.total' to be a finite number, but it is -Infinity/),
      );
      const { processInstanceKey } = await engine.createInstance('p', { ok: 1 });
      await assert.rejects(
        engine.setVariables(processInstanceKey, { items: [1, Number.NaN] }),
        refused(/'variables\.items\[1\]' to be a finite number, but it is NaN/),
      );
    } finally {
      await engine.close();
    }
  });

  it('bounds the number of variables and the size of a document, as configured', async () => {
    const engine = await createEngine({
      store: 'memory',
      commandLimits: { maxVariablesPerDocument: 100, maxVariableDocumentBytes: 10_000 },
    });
    try {
      await engine.deploy(createProcess('p').startEvent().userTask('wait').endEvent().done());
      const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, i]));
      await assert.rejects(
        engine.createInstance('p', many),
        refused(/at most 100 variables in 'variables', but it has 101/),
      );
      await assert.rejects(
        engine.createInstance('p', { blob: 'x'.repeat(10_000) }),
        refused(/'variables' to be at most 10000 bytes as JSON, but it is 1001\d bytes/),
      );
      await engine.createInstance('p', { blob: 'x'.repeat(9_000) });
    } finally {
      await engine.close();
    }
  });

  it('refuses variables that would take one instance past the per-instance limit, counting every scope, and frees what ends', async () => {
    const engine = await createEngine({
      store: 'memory',
      commandLimits: { maxInstanceVariableBytes: 10_000 },
    });
    try {
      await engine.deploy(
        createProcess('p')
          .startEvent()
          .serviceTask('work', { type: 'work' })
          .userTask('wait')
          .endEvent()
          .done(),
      );
      const { processInstanceKey } = await engine.createInstance('p', { a: 'x'.repeat(4_000) });
      const [job] = await engine.activateJobs({
        type: 'work',
        worker: 't',
        maxJobsToActivate: 1,
        timeout: 60_000,
      });
      assert.ok(job);
      // 4,000 held + 7,000 added > 10,000: refused, naming the instance and the option.
      await assert.rejects(
        engine.completeJob(job.key, { b: 'y'.repeat(7_000) }),
        refused(
          new RegExp(`process instance ${processInstanceKey} .* commandLimits\\.maxInstanceVariableBytes`),
        ),
      );
      await assert.rejects(
        engine.setVariables(processInstanceKey, { c: 'z'.repeat(7_000) }),
        refused(/per-instance limit/),
      );
      // Within the limit it passes; a new instance is judged by its own document.
      await engine.completeJob(job.key, { b: 'y'.repeat(3_000) });
      await assert.rejects(
        engine.createInstance('p', { big: 'q'.repeat(10_100) }),
        refused(/a new process instance/),
      );
      const other = await engine.createInstance('p', { big: 'q'.repeat(9_000) });
      assert.ok(other.processInstanceKey);
    } finally {
      await engine.close();
    }
  });
});
