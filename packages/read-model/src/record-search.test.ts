import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatonError, createEngine, createProcess } from '@baton-engine/baton';
import type { Engine } from '@baton-engine/baton';
import { ReadModel } from './read-model.js';
import { BACKENDS } from './test-support/backends.js';
import { settle } from './test-support/settle.js';

/** The `/v2`-shaped search over the read model (record-search.ts): conditions, alternatives, sort, paging. */
for (const backend of BACKENDS)
  describe(`read model record search` + ` on ${backend.name}`, () => {
    let engine: Engine;
    let model: ReadModel;
    const keys: string[] = [];

    before(async () => {
      engine = await createEngine({ store: 'memory' });
      model = await ReadModel.attach(engine, backend.tables(':memory:'));
      await engine.deploy(
        createProcess('a_b', { name: '100% sure' }).startEvent().userTask('t').endEvent().done(),
      );
      await engine.deploy(createProcess('axb').startEvent().endEvent().done());
      for (let i = 0; i < 3; i++) keys.push((await engine.createInstance('a_b', { i })).processInstanceKey);
      keys.push((await engine.createInstance('axb')).processInstanceKey);
      await engine.cancelInstance(keys[0]!);
      await engine.flush();
      await settle(engine);
    });
    after(async () => {
      await engine.close();
      await model.close();
    });

    const ids = async (conditions: Parameters<ReadModel['search']>[1]) =>
      (await model.search('processInstance', conditions)).items.map((i) => i.processInstanceKey);

    it('filters with every operator, NULL-aware for $neq and $notIn', async () => {
      assert.deepEqual(await ids({ conditions: [{ field: 'state', op: '$eq', value: 'TERMINATED' }] }), [
        keys[0],
      ]);
      assert.deepEqual(
        await ids({
          conditions: [{ field: 'endDate', op: '$exists', value: false }],
          sort: [{ field: 'processInstanceKey', order: 'ASC' }],
        }),
        [keys[1], keys[2]],
      );
      // No parent: $neq and $notIn still match (a missing value is not equal to anything).
      assert.equal(
        (await ids({ conditions: [{ field: 'parentProcessInstanceKey', op: '$neq', value: '1' }] })).length,
        4,
      );
      assert.equal(
        (await ids({ conditions: [{ field: 'parentProcessInstanceKey', op: '$notIn', value: ['1'] }] }))
          .length,
        4,
      );
      assert.equal((await ids({ conditions: [{ field: 'state', op: '$in', value: [] }] })).length, 0);
      assert.deepEqual(
        (await ids({ conditions: [{ field: 'processDefinitionName', op: '$eq', value: '100% sure' }] }))
          .length,
        3,
      );
    });

    it('treats % and _ literally in $like, * and ? as wildcards, \\ as escape', async () => {
      assert.deepEqual(
        (await ids({ conditions: [{ field: 'processDefinitionId', op: '$like', value: 'a_b' }] })).length,
        3,
      );
      assert.deepEqual(
        (await ids({ conditions: [{ field: 'processDefinitionId', op: '$like', value: 'a?b' }] })).length,
        4,
      );
      assert.deepEqual(
        (await ids({ conditions: [{ field: 'processDefinitionName', op: '$like', value: '100\\%*' }] }))
          .length,
        3,
      );
      assert.deepEqual(
        (await ids({ conditions: [{ field: 'processDefinitionName', op: '$like', value: '\\*' }] })).length,
        0,
      );
    });

    it('matches any group of alternatives, together with the other conditions', async () => {
      const found = await ids({
        conditions: [{ field: 'state', op: '$eq', value: 'ACTIVE' }],
        anyOf: [
          [{ field: 'processDefinitionId', op: '$eq', value: 'axb' }],
          [{ field: 'processInstanceKey', op: '$eq', value: keys[1]! }],
        ],
        sort: [{ field: 'processInstanceKey', order: 'ASC' }],
      });
      assert.deepEqual(found, [keys[1]]);
    });

    it('sorts keys as numbers, pages, and answers booleans and dates as values', async () => {
      const page = await model.search('processInstance', {
        sort: [{ field: 'processInstanceKey', order: 'DESC' }],
        offset: 1,
        limit: 2,
      });
      assert.equal(page.total, 4);
      assert.deepEqual(
        page.items.map((i) => i.processInstanceKey),
        [keys[2], keys[1]],
      );
      assert.equal(page.items[0]!.hasIncident, false);
      assert.equal(typeof page.items[0]!.startDate, 'number');
      assert.equal((await model.search('processInstance', { limit: 0 })).items.length, 0);
    });

    it('refuses unknown fields, operators that do not fit and values of the wrong type, naming them', async () => {
      const refused = (query: Parameters<ReadModel['search']>[1], message: RegExp) =>
        assert.rejects(
          () => model.search('processInstance', query),
          (error: unknown) =>
            error instanceof BatonError && error.code === 'INVALID_ARGUMENT' && message.test(error.message),
        );
      await refused({ conditions: [{ field: 'colour', op: '$eq', value: 'red' }] }, /'colour'/);
      await refused(
        { conditions: [{ field: 'state', op: '$gt', value: 'A' }] },
        /'state' does not support \$gt/,
      );
      await refused(
        { conditions: [{ field: 'processDefinitionVersion', op: '$eq', value: '1' }] },
        /integer/,
      );
      await refused({ conditions: [{ field: 'startDate', op: '$gte', value: 'yesterday' }] }, /ISO 8601/);
      await refused({ sort: [{ field: 'colour', order: 'ASC' }] }, /'colour'/);
      await refused({ limit: 10_001 }, /page\.limit/);
    });
  });
