// Runs the examples in docs/builder.md exactly as written, so the documentation cannot drift from the API.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import type { ModdleObject } from 'bpmn-moddle';
import { BuiltProcess } from './index.js';
import { assertFullyDrawn, element, eventDefinition, extension, parseStrict } from './test-support.js';

const DOC = new URL('../../../docs/builder.md', import.meta.url);

describe('the example in docs/builder.md', () => {
  it('runs and prints Camunda 8 XML with a diagram', async (t) => {
    const markdown = await readFile(DOC, 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(markdown)?.[1];
    assert.ok(block, 'docs/builder.md has a ts code block');
    assert.match(block, /from '@baton-engine\/builder'/);
    // The snippet imports the package by name; outside the workspace that resolves to these sources.
    const source = block.replace(
      "'@baton-engine/builder'",
      `'${new URL('./index.ts', import.meta.url).href}'`,
    );

    const dir = await mkdtemp(join(tmpdir(), 'baton-builder-doc-'));
    const logged = t.mock.method(console, 'log', () => undefined);
    try {
      const file = join(dir, 'example.mts');
      await writeFile(file, source);
      const example = (await import(pathToFileURL(file).href)) as { orderFulfilment: unknown };
      assert.ok(example.orderFulfilment instanceof BuiltProcess);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    assert.equal(logged.mock.callCount(), 1, 'the example prints once');
    const xml = String(logged.mock.calls[0].arguments[0]);
    const parsed = await parseStrict(xml);
    assertFullyDrawn(parsed);
    assert.equal(parsed.process.id, 'order-fulfilment');
    const reserve = element(parsed, 'reserve-stock');
    assert.equal(extension(reserve, 'zeebe:TaskDefinition')?.retries, '5');
    assert.equal(
      (element(parsed, 'in-stock').default as ModdleObject).id,
      'Flow_in-stock_call-customer',
      'the "no" branch is the default',
    );
    assert.equal(
      extension(element(parsed, 'summarise'), 'zeebe:Script')?.expression,
      '= "order " + string(order.id) + " shipped"',
    );
    assert.deepEqual(
      ((element(parsed, 'join').incoming as ModdleObject[]) ?? []).map((f) => f.id),
      ['Flow_charge-card_join', 'Flow_ship_join'],
    );
  });

  it('runs the events, boundary events and sub-processes example', async () => {
    const markdown = await readFile(DOC, 'utf8');
    const block = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)][1]?.[1];
    assert.ok(block, 'docs/builder.md has a second ts code block');
    const source = block.replace(
      "'@baton-engine/builder'",
      `'${new URL('./index.ts', import.meta.url).href}'`,
    );
    const dir = await mkdtemp(join(tmpdir(), 'baton-builder-doc-'));
    let booking: unknown;
    try {
      const file = join(dir, 'events.mts');
      await writeFile(file, source);
      booking = ((await import(pathToFileURL(file).href)) as { booking: unknown }).booking;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    assert.ok(booking instanceof BuiltProcess);
    const parsed = await parseStrict(await booking.toXml());
    assertFullyDrawn(parsed);
    assert.equal(element(parsed, 'on-cancel').triggeredByEvent, true);
    assert.equal(element(parsed, 'cancel-hotel').isForCompensation, true);
    assert.equal(element(parsed, 'charge').$type, 'bpmn:ServiceTask', 'the sub-process content is there');
    assert.equal(eventDefinition(parsed, 'slow').$type, 'bpmn:TimerEventDefinition');
    assert.equal(element(parsed, 'slow').cancelActivity, false);
    const loop = element(parsed, 'send-vouchers').loopCharacteristics as ModdleObject;
    assert.equal(extension(loop, 'zeebe:LoopCharacteristics')?.outputCollection, 'vouchers');
  });
});
