// The proof that the README's install line is true: every published package is packed from the built tree,
// installed from its tarball into a project outside the workspace, and used there as the docs show — the
// README's "Embed it" snippet and docs/testing.md's examples compiled by a strict tsc (skipLibCheck off) and
// run, and the installed `baton` command serving a Camunda 8 client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import { createProcess } from '@baton-engine/builder';
import { installConsumer } from './consumer-project.js';
import type { PackedPackage } from './packed-packages.js';
import {
  PACKAGE_DIRS,
  ROOT,
  consumerEnv,
  manifest,
  packAll,
  problemsOf,
  run,
  tail,
} from './packed-packages.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const testingDoc = readFileSync(join(ROOT, 'docs', 'testing.md'), 'utf8');

/** The `ts` blocks of a markdown text. */
const tsBlocks = (markdown: string) => [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** The README's "Embed it" section, up to the next heading. */
const embedSection = /## Embed it\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';

/** What the README's snippet leaves to the reader: the order model and a payment service to charge. */
const EMBED_PRELUDE = `import { createProcess } from '@baton-engine/builder';
const orderXml = await createProcess('order')
  .startEvent('received')
  .serviceTask('pay', { type: 'payment' })
  .endEvent('paid')
  .done()
  .toXml();
const charge = async (orderId: string) => ({ id: \`receipt-\${orderId}\` });
`;
const EMBED_EPILOGUE = `
console.log('EMBED RESULT ' + JSON.stringify({ started: processInstanceKey, variables: result.variables }));
`;

describe(
  'the published packages, installed from tarballs into a project of its own',
  { timeout: 900_000 },
  () => {
    const work = mkdtempSync(join(tmpdir(), 'baton-consumer-'));
    const tarballs = join(work, 'tarballs');
    const app = join(work, 'app');
    let packed: PackedPackage[] = [];
    let installed = false;

    before(async () => {
      packed = await packAll(tarballs);
    });
    after(() => rmSync(work, { recursive: true, force: true }));

    const requireInstall = () =>
      assert.ok(installed, 'the consumer project was not installed (see the failure above)');

    it('packs built output only, with every entry point, import, licence and README in the tarball', () => {
      const version = manifest('baton').version;
      const problems: string[] = [];
      for (const dir of PACKAGE_DIRS) {
        const name = manifest(dir).name;
        assert.match(name, /^@baton-engine\//);
        const pkg = packed.find((p) => p.name === name);
        assert.ok(pkg, `npm pack produced ${name}`);
        problems.push(...problemsOf(dir, pkg, version).map((problem) => `${name} ${problem}`));
      }
      assert.deepEqual(problems, []);
    });

    it('installs with npm into a project outside the workspace', { timeout: 720_000 }, async () => {
      await installConsumer(app, tarballs, packed);
      installed = true;
    });

    it(
      "compiles the README's snippet and docs/testing.md's examples with tsc --strict, skipLibCheck off",
      {
        timeout: 120_000,
      },
      async () => {
        requireInstall();
        assert.match(embedSection, /npm install @baton-engine\/baton\b/, 'the README says how to install');
        assert.match(
          testingDoc,
          /npm install [^\n]*@baton-engine\/baton/,
          'docs/testing.md says how to install',
        );
        const [snippet] = tsBlocks(embedSection);
        assert.ok(snippet, 'the "Embed it" section has a ts block');
        writeFileSync(join(app, 'src', 'embed.ts'), EMBED_PRELUDE + snippet + EMBED_EPILOGUE);
        const examples = tsBlocks(testingDoc);
        assert.ok(examples.length >= 3, 'docs/testing.md has its examples');
        examples.forEach((example, i) => writeFileSync(join(app, 'src', `testing-${i + 1}.ts`), example));
        // Every entry point of every package, so that all the published declarations are checked too.
        writeFileSync(join(app, 'src', 'entry-points.ts'), entryPointImports());
        const tsc = await run(
          process.execPath,
          [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app],
          {
            cwd: app,
            timeoutMs: 110_000,
          },
        );
        assert.equal(tsc.code, 0, `tsc failed on the docs' code:\n${tail(tsc.output)}`);
      },
    );

    it(
      "runs the README's snippet: the order completes with the worker's result",
      { timeout: 60_000 },
      async () => {
        requireInstall();
        const embed = await run(process.execPath, [join('out', 'embed.js')], { cwd: app, timeoutMs: 50_000 });
        assert.equal(embed.code, 0, tail(embed.output));
        const line = /EMBED RESULT (.*)/.exec(embed.output)?.[1];
        assert.ok(line, `the snippet ran to its end:\n${tail(embed.output)}`);
        const { started, variables } = JSON.parse(line) as {
          started: string;
          variables: Record<string, unknown>;
        };
        assert.match(started, /^\d+$/);
        assert.deepEqual(variables, { orderId: '4712', receiptId: 'receipt-4712' });
      },
    );

    it("runs docs/testing.md's examples with node --test: all pass", { timeout: 90_000 }, async () => {
      requireInstall();
      const files = tsBlocks(testingDoc).map((_, i) => join('out', `testing-${i + 1}.js`));
      const tests = await run(process.execPath, ['--test', ...files], { cwd: app, timeoutMs: 80_000 });
      assert.equal(tests.code, 0, tail(tests.output, 80));
      assert.match(tests.output, /# pass [1-9]/);
      assert.match(tests.output, /# fail 0/);
    });

    it(
      'runs `npx baton start`; a Camunda 8 client deploys and completes an instance; the cockpit is served',
      {
        timeout: 120_000,
      },
      async () => {
        requireInstall();
        const server = await startInstalledBaton(app);
        const zeebe = new Camunda8({
          ZEEBE_GRPC_ADDRESS: `grpc://localhost:${server.grpcPort}`,
          CAMUNDA_SECURE_CONNECTION: false,
          CAMUNDA_AUTH_STRATEGY: 'NONE',
          zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE', ZEEBE_GRPC_CLIENT_RETRY: false },
        } as never).getZeebeGrpcApiClient();
        try {
          const xml = await createProcess('consumer')
            .startEvent('start')
            .serviceTask('pay', { type: 'consumer-payment' })
            .endEvent('end')
            .done()
            .toXml();
          const deployment = await zeebe.deployResource({ process: Buffer.from(xml), name: 'consumer.bpmn' });
          assert.equal(deployment.deployments[0]?.process?.bpmnProcessId, 'consumer');
          zeebe.createWorker({
            taskType: 'consumer-payment',
            taskHandler: (job) => job.complete({ paid: true }),
          });
          const result = await zeebe.createProcessInstanceWithResult({
            bpmnProcessId: 'consumer',
            variables: { n: 1 },
          });
          assert.deepEqual(result.variables, { n: 1, paid: true });
          const page = await fetch(`http://127.0.0.1:${server.httpPort}/`);
          assert.equal(page.status, 200);
          assert.match(await page.text(), /<html/i, 'the cockpit from its tarball');
        } finally {
          await zeebe.close();
          await server.stop();
        }
      },
    );
  },
);

/** A module importing the types of every entry point the packages declare. */
function entryPointImports(): string {
  const specifiers = PACKAGE_DIRS.flatMap((dir) => {
    const { name, exports = {} } = manifest(dir);
    return Object.keys(exports)
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => name + subpath.slice(1));
  });
  return specifiers
    .map((specifier, i) => `import type * as entry${i} from '${specifier}';\nexport type { entry${i} };\n`)
    .join('');
}

/**
 * `npx baton start --memory --insecure-no-auth` on free ports, in the consumer project, ready when it prints
 * its `BATON READY` line. npx and the server run in a process group of their own, stopped as one on every path.
 */
async function startInstalledBaton(
  cwd: string,
): Promise<{ grpcPort: number; httpPort: number; stop: () => Promise<void> }> {
  const args = [
    '--no',
    'baton',
    'start',
    '--memory',
    '--insecure-no-auth',
    '--grpc-port',
    '0',
    '--http-port',
    '0',
  ];
  const child = spawn('npx', args, {
    cwd,
    env: consumerEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = () => stopGroup(child);
  try {
    const [, grpc, http] = await new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`npx baton start was not ready in 60 s:\n${tail(output)}`)),
        60_000,
      );
      child.stdout.on('data', () => {
        const ready = /BATON READY grpc=(\d+) http=(\d+)/.exec(output);
        if (ready) {
          clearTimeout(timer);
          resolve(ready);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npx baton start exited with ${code}:\n${tail(output)}`));
      });
    });
    return { grpcPort: Number(grpc), httpPort: Number(http), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** SIGTERM to the child's process group, SIGKILL if it is still there after 10 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // the group is gone already
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
