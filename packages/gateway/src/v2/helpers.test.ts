import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { BatonError, createProcess } from '@baton-engine/baton';
import { parseWith, problemOf, ProblemError } from './problem.js';
import { pathKey, zKey } from './keys.js';
import { runSearch } from './search.js';
import type { SearchDefinition } from './search.js';
import { startV2TestServer } from './test-server.js';
import type { V2TestServer } from './test-server.js';

const instances: SearchDefinition<Record<string, unknown>> = {
  resource: 'processInstance',
  filter: ['processInstanceKey', 'processDefinitionId', 'state', 'startDate', 'processDefinitionVersion'],
  sort: ['processInstanceKey', 'startDate'],
  item: (row) => row,
};

const thrown = (fn: () => unknown): ProblemError => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ProblemError, `expected a ProblemError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
};

/** The error a promise rejects with, a ProblemError. */
const rejected = async (promise: Promise<unknown>): Promise<ProblemError> => {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProblemError, `expected a ProblemError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
};

describe('/v2 shared helpers', () => {
  let server: V2TestServer;
  const keys: string[] = [];

  before(async () => {
    server = await startV2TestServer();
    await server.engine.deploy(createProcess('wait').startEvent().userTask('t').endEvent().done());
    for (let i = 0; i < 5; i++) keys.push((await server.engine.createInstance('wait')).processInstanceKey);
    await server.settled();
  });
  after(() => server.close());

  it('searches with filter, sort and offset pages, keys and dates as strings', async () => {
    const all = await runSearch(server.readModel, instances, {
      filter: { processDefinitionId: 'wait', state: { $in: ['ACTIVE'] } },
      sort: [{ field: 'processInstanceKey', order: 'DESC' }],
      page: { from: 1, limit: 2 },
    });
    assert.equal(all.page.totalItems, 5);
    assert.deepEqual(
      all.items.map((i) => i.processInstanceKey),
      [...keys].reverse().slice(1, 3),
    );
    const first = all.items[0]!;
    assert.equal(typeof first.startDate, 'string');
    assert.ok(!Number.isNaN(Date.parse(first.startDate as string)));
    assert.equal(first.tenantId, '<default>');
    assert.equal(first.hasIncident, false);
    assert.equal('endDate' in first, false, 'an absent end date is left out');
  });

  it('pages with cursors forward and backward', async () => {
    const sort = [{ field: 'processInstanceKey', order: 'ASC' }];
    const one = await runSearch(server.readModel, instances, { sort, page: { limit: 2 } });
    const two = await runSearch(server.readModel, instances, {
      sort,
      page: { limit: 2, after: one.page.endCursor },
    });
    assert.deepEqual(
      two.items.map((i) => i.processInstanceKey),
      keys.slice(2, 4),
    );
    const back = await runSearch(server.readModel, instances, {
      sort,
      page: { limit: 2, before: two.page.startCursor },
    });
    assert.deepEqual(
      back.items.map((i) => i.processInstanceKey),
      keys.slice(0, 2),
    );
    assert.match(one.page.endCursor!, /^[A-Za-z0-9+/]+=*$/);
  });

  it('matches nothing for another tenant, and like patterns with * and ?', async () => {
    assert.equal(
      (await runSearch(server.readModel, instances, { filter: { tenantId: 'other' } })).page.totalItems,
      0,
    );
    assert.equal(
      (await runSearch(server.readModel, instances, { filter: { processDefinitionId: { $like: 'wa?*' } } }))
        .page.totalItems,
      5,
    );
  });

  it('refuses unknown filter properties, operators, wrong types and bad pages, naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [{ filter: { nope: 1 } }, /'filter\.nope'/],
      [{ filter: { state: { $gt: 'A' } } }, /'filter\.state\.\$gt'/],
      [{ filter: { processInstanceKey: 12 } }, /'filter\.processInstanceKey'.*a key/],
      [{ filter: { startDate: { $gte: 'yesterday' } } }, /'filter\.startDate\.\$gte'.*ISO 8601/],
      [{ sort: [{ field: 'color' }] }, /'sort\.0\.field'/],
      [{ sort: [{ field: 'startDate', order: 'UP' }] }, /'sort\.0\.order'/],
      [{ page: { from: -1 } }, /'page\.from'/],
      [{ page: { limit: 'ten' } }, /'page\.limit'/],
      [{ page: { after: 'garbage!' } }, /'page\.after'/],
      [{ page: { from: 0, after: 'eyJvZmZzZXQiOjB9' } }, /'page'/],
      [{ query: {} }, /'query'/],
    ];
    for (const [body, message] of cases) {
      const error = await rejected(runSearch(server.readModel, instances, body));
      assert.equal(error.status, 400, JSON.stringify(body));
      assert.match(error.message, message);
    }
  });

  it('answers searches without a read model with 403', async () => {
    assert.equal((await rejected(runSearch(undefined, instances, {}))).status, 403);
  });

  it('maps engine errors to the one status table, with the code as title', async () => {
    const p = problemOf(new BatonError('NOT_FOUND', 'no such thing'), '/v2/x');
    assert.deepEqual(p, {
      type: 'about:blank',
      title: 'NOT_FOUND',
      status: 404,
      detail: 'no such thing',
      instance: '/v2/x',
    });
    assert.equal(problemOf(new BatonError('INVALID_STATE', 'x')).status, 409);
    assert.equal(problemOf(new Error('boom')).status, 500);
  });

  it('parses with zod, naming every wrong field', async () => {
    const schema = z.object({ key: zKey, variables: z.record(z.unknown()).optional() });
    const error = thrown(() => parseWith(schema, { key: 5, variables: 'x' }, 'body'));
    assert.match(error.message, /'body\.key' expected string, received number/);
    assert.match(error.message, /'body\.variables' expected object, received string/);
    assert.equal(thrown(() => pathKey({ k: 'abc' }, 'k')).status, 400);
    assert.equal(pathKey({ k: '2251799813685249' }, 'k'), '2251799813685249');
  });

  it('answers unknown paths and unparsable JSON with problem details', async () => {
    const missing = await server.app.inject({ method: 'GET', url: '/v2/nothing-here' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.headers['content-type'] as string, /application\/problem\+json/);
    assert.equal(missing.json().status, 404);
  });
});
