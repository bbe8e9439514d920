// Every public Camunda 8 model that Zeebe deploys must deploy on Baton, sent as the official client sends it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CORPUS, readCorpusFile, resourceKind, unavailable } from './corpus-files.js';
import type { CorpusFile } from './corpus-files.js';
import { startConformanceServer } from './conformance-server.js';
import type { ConformanceServer } from './conformance-server.js';

/** Models that Zeebe refuses too (negative fixtures of their sources): Baton must refuse them, naming the fault. */
const NOT_DEPLOYABLE: Record<string, { readonly why: string; readonly refusal: RegExp }> = {
  'camunda-8-js-sdk/src/__tests__/testdata/Client-BrokenBpmn.bpmn': {
    why: "the SDK's Client-BrokenBpmn.spec.ts expects Zeebe to refuse it: a service task without zeebe:taskDefinition",
    refusal: /ServiceTask_0g6tf5f.*zeebe:taskDefinition/,
  },
  'camunda-8-js-sdk/src/__tests__/testdata/modeller7File.bpmn': {
    why: "a fixture of the SDK's BPMN-to-constants parser test, never deployed: the XML is cut off mid-element",
    refusal: /unparsable content/,
  },
  'camunda-8-js-sdk/src/__tests__/testdata/BpmnParser.bpmn': {
    why:
      "a fixture of the SDK's BPMN-to-constants parser test, never deployed: stray text '0ex' inside " +
      'bpmn:extensionElements, which the BPMN schema (Zeebe validates against it) does not allow',
    refusal: /line 17: unparsable content/,
  },
};

/**
 * Models Zeebe deploys that Baton still refuses, for a reason issue 13 already names (the item number). Each
 * must still fail for exactly that reason; when a fix lands and the model deploys, delete its entry.
 */
// Models Zeebe deploys that Baton still refuses, each with the item of issue 13 it waits for and the refusal it
// must still give (so that a fix fails here until its entry is deleted). Items 3 and 6 emptied it.
const KNOWN_GAPS: Record<string, { readonly item: number; readonly refusal: RegExp }> = {};

const LICENCES_THAT_ALLOW_REDISTRIBUTION = new Set(['Apache-2.0', 'MIT']);

/** The ids a deployment of this model must report: executable processes, or decisions. */
function expectedIds(entry: CorpusFile, text: string): string[] {
  const kind = resourceKind(entry.file);
  if (kind === 'form') return [(JSON.parse(text) as { id: string }).id];
  const tag = kind === 'process' ? 'process' : 'decision';
  const ids: string[] = [];
  for (const match of text.matchAll(new RegExp(`<(?:[\\w-]+:)?${tag}\\b([^>]*)>`, 'g'))) {
    const attributes = match[1]!;
    if (kind === 'process' && !/isExecutable="true"/.test(attributes)) continue;
    const id = /\bid="([^"]+)"/.exec(attributes)?.[1];
    if (id) ids.push(id);
  }
  return ids.sort();
}

/** The ids a DeployResource answer reports, of the given kind. */
function deployedIds(kind: string, deployments: readonly Record<string, unknown>[]): string[] {
  const field = kind === 'process' ? 'bpmnProcessId' : kind === 'decision' ? 'dmnDecisionId' : 'formId';
  return deployments
    .map((d) => (d[kind] as Record<string, string> | undefined)?.[field])
    .filter((id): id is string => typeof id === 'string')
    .sort();
}

describe('the corpus is recorded', () => {
  it('every file has a source, a commit and a licence that allows redistribution', () => {
    for (const entry of CORPUS) {
      assert.match(entry.commit, /^[0-9a-f]{40}$/, entry.file);
      assert.ok(LICENCES_THAT_ALLOW_REDISTRIBUTION.has(entry.licence), `${entry.file}: ${entry.licence}`);
      assert.ok(entry.file.endsWith(entry.path), `${entry.file} lies under <source>/<path>`);
    }
    assert.equal(new Set(CORPUS.map((e) => e.file)).size, CORPUS.length, 'no file twice');
  });

  it('SOURCES.md lists every file, and every expectation names a corpus file', () => {
    const sources = readFileSync(fileURLToPath(new URL('./SOURCES.md', import.meta.url)), 'utf8');
    for (const entry of CORPUS) assert.ok(sources.includes(entry.file), `SOURCES.md lacks ${entry.file}`);
    const files = new Set(CORPUS.map((e) => e.file));
    for (const file of [...Object.keys(NOT_DEPLOYABLE), ...Object.keys(KNOWN_GAPS)])
      assert.ok(files.has(file), `${file} is not in sources.json`);
  });
});

describe('every corpus model that Zeebe deploys deploys on Baton (over the gateway, with @camunda8/sdk)', () => {
  let server: ConformanceServer | undefined;
  before(async () => {
    server = await startConformanceServer();
  });
  after(async () => {
    await server?.stop();
  });

  for (const entry of CORPUS) {
    const skip = unavailable(entry);
    it(entry.file, { skip, timeout: 15_000 }, async () => {
      const bytes = readCorpusFile(entry);
      const kind = resourceKind(entry.file);
      const name = entry.file.slice(entry.file.lastIndexOf('/') + 1);
      const deploy = () => server!.zeebe.deployResource({ name, [kind]: bytes } as never);
      const negative = NOT_DEPLOYABLE[entry.file];
      const gap = KNOWN_GAPS[entry.file];
      if (negative) {
        await assert.rejects(deploy(), (error: Error) => {
          assert.match(error.message, /INVALID_ARGUMENT/);
          assert.match(error.message, negative.refusal);
          return true;
        });
      } else if (gap) {
        await assert.rejects(
          deploy(),
          (error: Error) => {
            assert.match(error.message, gap.refusal, `refused, but not for issue 13 item ${gap.item}`);
            return true;
          },
          `deploys now: delete its KNOWN_GAPS entry (issue 13 item ${gap.item})`,
        );
      } else {
        const deployment = (await deploy()) as unknown as { deployments: Record<string, unknown>[] };
        assert.deepEqual(
          deployedIds(kind, deployment.deployments),
          expectedIds(entry, bytes.toString('utf8')),
        );
      }
    });
  }
});
