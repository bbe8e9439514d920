import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { restClient, startBaton } from './baton-server.js';
import type { BatonServer } from './baton-server.js';

// End to end: the built cockpit, served by a real `baton start`, in headless Chromium. Needs `tsc -b` and the
// cockpit build (both part of `npm run build`); screenshots go to artifacts/cockpit/.

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
const artifacts = fileURLToPath(new URL('../../../artifacts/cockpit/', import.meta.url));
mkdirSync(artifacts, { recursive: true });

/** Debian's Chromium; BATON_CHROMIUM points elsewhere (a missing file shows the prerequisite check). */
const CHROMIUM = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';

async function launch(): Promise<Browser> {
  // Not a skip: CI installs Chromium (.ci/run), so a missing binary is a broken machine worth reporting.
  if (!existsSync(CHROMIUM))
    throw new Error(
      `the cockpit end-to-end tests need Chromium at ${CHROMIUM}; install it (Debian: apt-get install chromium) or set BATON_CHROMIUM`,
    );
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => {
    throw new Error(`uncaught error in the cockpit: ${error.message}`);
  });
  return page;
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${artifacts}${name}.png`, fullPage: true });

interface ActivatedJob {
  key: string;
  processInstanceKey: string;
}

describe('cockpit against a running baton', () => {
  let server: BatonServer;
  let browser: Browser;
  let page: Page;
  let rest: ReturnType<typeof restClient>;
  /** Charge jobs of the four payment (child) instances, in activation order. */
  let jobs: ActivatedJob[] = [];
  /** An order started last, still running. */
  let lastOrder = '';

  /** Activates `count` charge jobs (long polling until they are there). */
  const activate = async (count: number): Promise<ActivatedJob[]> => {
    const found: ActivatedJob[] = [];
    const deadline = Date.now() + 10_000;
    while (found.length < count && Date.now() < deadline) {
      const { jobs: batch } = await rest.post<{ jobs: { jobKey: string; processInstanceKey: string }[] }>(
        '/v2/jobs/activation',
        {
          type: 'cockpit-charge',
          worker: 'e2e',
          timeout: 120_000,
          maxJobsToActivate: count - found.length,
          requestTimeout: 2_000,
        },
      );
      found.push(...batch.map((j) => ({ key: j.jobKey, processInstanceKey: j.processInstanceKey })));
    }
    assert.equal(found.length, count, `expected ${count} charge jobs`);
    return found;
  };
  const fail = (job: ActivatedJob, message: string) =>
    rest.post(`/v2/jobs/${job.key}/failure`, { retries: 0, errorMessage: message });
  const incidentOf = async (job: ActivatedJob) => {
    for (let i = 0; i < 50; i++) {
      const { items } = await rest.post<{ items: { incidentKey: string; jobKey: string }[] }>(
        '/v2/incidents/search',
        { filter: { processInstanceKey: job.processInstanceKey } },
      );
      const incident = items.find((x) => x.jobKey === job.key);
      if (incident) return { key: incident.incidentKey, jobKey: incident.jobKey };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no incident for job ${job.key}`);
  };

  before(async () => {
    // The browser first: when it cannot start, no server is left running; `after` stops whatever did start.
    browser = await launch();
    server = await startBaton(['--insecure-no-auth']);
    rest = restClient(server.url);
    page = await newPage(browser);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('deploys BPMN files dropped on the processes page, and shows why a model cannot run', async () => {
    await page.goto(`${server.url}/processes`);
    await page.getByRole('heading', { name: 'Processes', level: 1 }).waitFor();

    // A model that cannot run, through the file input behind the drop zone: the server's reason is shown.
    await page.getByLabel('BPMN or DMN files to deploy').setInputFiles({
      name: 'cockpit-broken.bpmn',
      mimeType: 'application/xml',
      buffer: Buffer.from(fixture('cockpit-broken.bpmn')),
    });
    const refusal = page.getByRole('alert').filter({ hasText: 'Deployment refused' });
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /element 'charge'.*zeebe:taskDefinition/s);
    assert.match(await refusal.innerText(), /INVALID_ARGUMENT/);
    await shot(page, 'deploy-refused');

    // Two files dropped at once, as a real drop event with a DataTransfer.
    const files = ['cockpit-payment.bpmn', 'cockpit-order.bpmn'].map((name) => ({
      name,
      xml: fixture(name),
    }));
    const dataTransfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([f.xml], f.name, { type: 'application/xml' }));
      return dt;
    }, files);
    await page.dispatchEvent('[data-testid="deploy-drop-zone"]', 'dragover', { dataTransfer });
    await page.dispatchEvent('[data-testid="deploy-drop-zone"]', 'drop', { dataTransfer });
    const deployed = page.getByRole('status').filter({ hasText: 'Deployed:' });
    await deployed.waitFor();
    assert.match(await deployed.innerText(), /cockpit-payment version 1.*cockpit-order version 1/s);
    assert.equal(await refusal.count(), 0, 'the old refusal is gone');
    // The list of deployed processes follows by itself.
    await page.getByRole('link', { name: 'Cockpit order' }).waitFor();
    await page.getByRole('link', { name: 'Card payment' }).waitFor();
    assert.doesNotMatch(await deployed.innerText(), /unchanged/);

    // The same file again deploys no new version: it is shown as unchanged.
    await page.getByLabel('BPMN or DMN files to deploy').setInputFiles({
      name: 'cockpit-order.bpmn',
      mimeType: 'application/xml',
      buffer: Buffer.from(fixture('cockpit-order.bpmn')),
    });
    await page.getByRole('status').filter({ hasText: '(unchanged)' }).waitFor();
    assert.match(await deployed.innerText(), /^Deployed: cockpit-order version 1 \(unchanged\)$/);
    await shot(page, 'processes');
  });

  test('shows started instances on the diagram as live counts per element', async () => {
    await page.getByRole('status').getByRole('link', { name: 'cockpit-order version 1' }).click();
    await page.getByRole('heading', { name: 'Cockpit order' }).waitFor();
    await page.locator('.diagram[data-loaded="true"]').waitFor();
    for (let i = 1; i <= 4; i++)
      await rest.post('/v2/process-instances', {
        processDefinitionId: 'cockpit-order',
        variables: { orderId: i },
      });
    // No reload: the counts arrive through GET /baton/v1/updates.
    const active = page.locator('.badges[data-element-id="pay"] .badge-count-active');
    await page.waitForFunction(
      () => document.querySelector('.badges[data-element-id="pay"] .badge-count-active')?.textContent === '4',
    );
    assert.equal(await active.textContent(), '4');
    assert.equal(
      await page.locator('.badges[data-element-id="orderReceived"] .badge-count-completed').textContent(),
      '4',
    );
    const rows = page
      .getByRole('table', { name: 'Process instances' })
      .locator('tbody tr[data-instance-key]');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('table[aria-label="Process instances"] tbody tr[data-instance-key]')
          .length === 4,
    );
    assert.equal(await rows.count(), 4);
    await shot(page, 'process-heat-map');

    // The state filter goes to the server and back into the address.
    await page.getByLabel('State', { exact: true }).selectOption('COMPLETED');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No instance matches these filters.').waitFor();
    assert.match(page.url(), /state=COMPLETED/);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForFunction(
      () =>
        document.querySelectorAll('table[aria-label="Process instances"] tbody tr[data-instance-key]')
          .length === 4,
    );

    // Paging: two per page.
    await page.goto(`${page.url().split('?')[0]}?pageSize=2`);
    const pager = page.getByRole('navigation', { name: 'Instance list pages' });
    await pager.getByText('Page 1 of 2 (4 in all)').waitFor();
    const firstPage = await rows.allInnerTexts();
    await pager.getByRole('button', { name: 'Next page' }).click();
    await pager.getByText('Page 2 of 2 (4 in all)').waitFor();
    assert.match(page.url(), /page=2/);
    const secondPage = await rows.allInnerTexts();
    assert.equal(secondPage.length, 2);
    assert.ok(!secondPage.some((row) => firstPage.includes(row)), 'page 2 shows other instances');

    // A variable's value (a bare word or JSON) and the incident flag narrow the /v2 search.
    const base = page.url().split('?')[0];
    await page.goto(`${base}?variableName=orderId&variableValue=3`);
    await page.waitForFunction(
      () =>
        document.querySelectorAll('table[aria-label="Process instances"] tbody tr[data-instance-key]')
          .length === 1,
    );
    await page.goto(`${base}?hasIncident=true`);
    await page.getByText('No instance matches these filters.').waitFor();
    await page.goto(`${base}?hasIncident=false&order=asc`);
    await page.waitForFunction(
      () =>
        document.querySelectorAll('table[aria-label="Process instances"] tbody tr[data-instance-key]')
          .length === 4,
    );

    jobs = await activate(4);
  });

  test('an incident shows in the incidents view; Retry resolves it and the instance completes live', async () => {
    const [job] = jobs;
    await fail(job!, 'card declined for order');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
    const row = page.locator(`tr:has-text("card declined for order")`);
    await row.waitFor();
    assert.match(await row.innerText(), /cockpit-payment.*charge.*JOB_NO_RETRIES/s);
    await shot(page, 'incidents');

    // To the instance: the incident with its message, the parent that called it, and Retry.
    await row.getByRole('link', { name: job!.processInstanceKey }).click();
    await page.getByRole('heading', { name: `Instance ${job!.processInstanceKey}` }).waitFor();
    await page.locator('.diagram[data-loaded="true"]').waitFor();
    await page.getByText('card declined for order').first().waitFor();
    await page.locator('.djs-element.token-incident[data-element-id="charge"]').waitFor();
    assert.ok(await page.getByText('Called by parent instance').isVisible());
    await shot(page, 'instance-incident');

    await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));
    await page.getByRole('button', { name: /^Retry incident/ }).click();
    await page.getByRole('status').filter({ hasText: 'Retried' }).waitFor();
    await page.locator('.incident-resolved').waitFor();

    // A worker completes the job it can now activate again: the page follows without a reload.
    const [again] = await activate(1);
    assert.equal(again!.key, job!.key);
    await rest.post(`/v2/jobs/${job!.key}/completion`, { variables: { receipt: 'R-1' } });
    const title = page.getByRole('heading', { level: 1 });
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('COMPLETED'));
    assert.match(await title.innerText(), /COMPLETED/);
    await page.waitForFunction(() => document.querySelectorAll('.djs-connection.path-taken').length === 2);
    assert.equal(await page.locator('.djs-element.token-active').count(), 0, 'no token left');
    assert.equal(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload), true);
    await page.locator('tr[data-variable="receipt"]').waitFor();
    await shot(page, 'instance-completed');

    // The call activity's parent completed too; its child is listed there.
    await page.getByRole('navigation', { name: 'Called and calling instances' }).getByRole('link').click();
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('COMPLETED'));
    await page.getByRole('link', { name: `cockpit-payment ${job!.processInstanceKey}` }).waitFor();
  });

  test('bulk retry reports a result per incident, also for one resolved meanwhile', async () => {
    const [, second, third] = jobs;
    await fail(second!, 'card expired');
    await fail(third!, 'card stolen');
    const [, resolvedElsewhere] = await Promise.all([incidentOf(second!), incidentOf(third!)]);

    // A second tab whose live updates are cut off: it still lists an incident another operator resolves.
    const stale = await newPage(browser);
    await stale.route('**/baton/v1/updates', (route) => route.abort());
    await stale.goto(`${server.url}/incidents`);
    await stale.locator('tr:has-text("card stolen")').waitFor();
    await stale.locator('tr:has-text("card expired")').waitFor();
    await stale.getByRole('checkbox', { name: 'Select all open incidents on this page' }).check();
    await rest.patch(`/v2/jobs/${third!.key}`, { changeset: { retries: 1 } });
    await rest.post(`/v2/incidents/${resolvedElsewhere!.key}/resolution`);

    await stale.getByRole('button', { name: 'Retry selected (2)' }).click();
    const results = stale.getByRole('region', { name: 'Retry results' }).locator('li');
    await stale.waitForFunction(() => document.querySelectorAll('.outcomes li').length === 2);
    const texts = await results.allInnerTexts();
    const retried = texts.find((t) => t.includes(second!.processInstanceKey));
    const failed = texts.find((t) => t.includes(third!.processInstanceKey));
    assert.match(retried ?? '', /: retried$/);
    assert.match(failed ?? '', /: failed — Incident \d+ is already resolved/);
    await shot(stale, 'incidents-bulk-retry');
    await stale.close();

    // Both jobs can be worked again; finishing them completes their instances.
    for (const job of await activate(2)) await rest.post(`/v2/jobs/${job.key}/completion`, {});
    await page.goto(`${server.url}/incidents`);
    await page.getByText('No open incidents.').waitFor();
  });

  test('variables: invalid JSON is refused with a message, valid JSON is saved', async () => {
    const child = jobs[3]!.processInstanceKey;
    await page.goto(`${server.url}/instances/${child}`);
    await page.getByRole('heading', { name: `Instance ${child}` }).waitFor();
    await page.getByRole('button', { name: 'Edit variable orderId' }).click();
    const editor = page.getByLabel('New value of orderId (JSON)');
    await editor.fill('{not json');
    await page.getByRole('button', { name: 'Save variable orderId' }).click();
    const problem = page.getByRole('alert').filter({ hasText: 'Invalid JSON' });
    await problem.waitFor();
    assert.match(await problem.innerText(), /Not saved: orderId: Invalid JSON/);
    await shot(page, 'variable-invalid-json');

    await editor.fill('"A-4"');
    await page.getByRole('button', { name: 'Save variable orderId' }).click();
    await page.waitForFunction(
      () => document.querySelector('tr[data-variable="orderId"] code.json')?.textContent === '"A-4"',
    );
    const { variables } = await rest.get<{ variables: { name: string; value: unknown }[] }>(
      `/baton/v1/process-instances/${child}`,
    );
    assert.deepEqual(
      variables.find((v) => v.name === 'orderId'),
      { ...variables.find((v) => v.name === 'orderId'), value: 'A-4' },
    );
  });

  test('moves a token: terminates the waiting task and activates the end event', async () => {
    const child = jobs[3]!.processInstanceKey;
    await page.getByLabel('Terminate element instance').selectOption({ index: 1 });
    await page.getByLabel('Activate element').selectOption('paid');
    await page.getByRole('button', { name: 'Move token' }).click();
    await page.getByRole('status').filter({ hasText: 'Token moved.' }).waitFor();
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('COMPLETED'));
    const history = page.getByRole('group', { name: 'Element instance history' });
    assert.equal(
      await history.locator('li[data-element-id="charge"]').getAttribute('data-state'),
      'TERMINATED',
    );
    assert.equal(await history.locator('li[data-element-id="paid"]').getAttribute('data-state'), 'COMPLETED');
    const { instance } = await rest.get<{ instance: { state: string } }>(
      `/baton/v1/process-instances/${child}`,
    );
    assert.equal(instance.state, 'COMPLETED');
  });

  test('malformed search parameters show the server message', async () => {
    await page.goto(`${server.url}/instances?startedAfter=yesterday`);
    const alert = page.getByRole('alert').filter({ hasText: 'Cannot search instances' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /'startedAfter' must be a time.*INVALID_ARGUMENT/s);
    await page.goto(`${server.url}/instances/12abc`);
    await page.getByRole('alert').filter({ hasText: 'Cannot load the instance' }).waitFor();
  });

  test('dashboard: figures, throughput and per-process counts, live', async () => {
    await page.goto(`${server.url}/`);
    const running = page.getByRole('link', { name: /^Running instances: \d+$/ });
    await running.waitFor();
    assert.equal(await running.getAttribute('aria-label'), 'Running instances: 0');
    assert.equal(
      await page.getByRole('link', { name: /^Completed instances: / }).getAttribute('aria-label'),
      'Completed instances: 8',
    );
    assert.match(
      (await page.getByRole('img', { name: /^Throughput/ }).getAttribute('aria-label')) ?? '',
      /8 instances started, 8 completed/,
    );
    lastOrder = (
      await rest.post<{ processInstanceKey: string }>('/v2/process-instances', {
        processDefinitionId: 'cockpit-order',
        variables: {},
      })
    ).processInstanceKey;
    await page.getByRole('link', { name: 'Running instances: 2' }).waitFor();
    const row = page.getByRole('row', { name: /Cockpit order/ });
    assert.match(await row.innerText(), /Cockpit order\s+1\s+0\s+4\s+0/);
    await shot(page, 'dashboard');
  });

  test('cancels an instance after an explicit confirmation', async () => {
    await page.goto(`${server.url}/instances/${lastOrder}`);
    await page.getByRole('heading', { name: `Instance ${lastOrder}` }).waitFor();
    await page.getByRole('button', { name: 'Cancel instance' }).click();
    await page.getByRole('button', { name: 'Keep it running' }).click();
    await page.getByRole('button', { name: 'Cancel instance' }).click();
    await page.getByRole('button', { name: 'Yes, cancel instance' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Instance ${lastOrder} cancelled.` })
      .waitFor();
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('TERMINATED'));
    const { items } = await rest.post<{ items: { state: string }[] }>('/v2/process-instances/search', {
      filter: { processDefinitionId: 'cockpit-payment', state: 'TERMINATED' },
    });
    assert.equal(items.length, 1, 'the called payment instance is terminated with it');
  });

  test('clicking a call activity on the diagram opens the instance it called; the child links back', async () => {
    await rest.deploy(
      ['cockpit-review.bpmn', 'cockpit-review-round.bpmn'].map((name) => ({ name, xml: fixture(name) })),
    );
    /** Starts a review round; answers its key and its called children, newest (largest key) first. */
    const startRound = async (reviewers: string[]) => {
      const { processInstanceKey } = await rest.post<{ processInstanceKey: string }>(
        '/v2/process-instances',
        { processDefinitionId: 'cockpit-review-round', variables: { reviewers } },
      );
      for (let i = 0; i < 50; i++) {
        const { children } = await rest.get<{ children: { key: string }[] }>(
          `/baton/v1/process-instances/${processInstanceKey}`,
        );
        if (children.length === reviewers.length) {
          const keys = children.map((c) => c.key).sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1));
          return { parent: processInstanceKey, children: keys };
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`instance ${processInstanceKey} did not call ${reviewers.length} children`);
    };
    const openInstance = async (key: string) => {
      await page.getByRole('heading', { name: `Instance ${key}` }).waitFor();
      await page.locator('.diagram[data-loaded="true"]').waitFor();
    };
    const review = page.locator('.djs-element[data-element-id="review"]');
    const clickable = page.locator('.djs-element.called-instance[data-element-id="review"]');

    // A multi-instance call activity that called two instances, both waiting at a user task.
    const round = await startRound(['ada', 'grace']);
    const [latest, earlier] = round.children;
    await page.goto(`${server.url}/instances/${round.parent}`);
    await openInstance(round.parent);
    await clickable.waitFor();
    assert.equal(await review.evaluate((el) => getComputedStyle(el).cursor), 'pointer');
    assert.match(
      (await review.locator('title').textContent()) ?? '',
      new RegExp(`most recent of 2 called instances \\(cockpit-review ${latest}\\)`),
    );
    const chooser = page.getByRole('button', { name: 'Choose one of the 2 instances called by Review' });
    await chooser.click();
    const menu = page.getByRole('list', { name: 'Instances called by Review' });
    assert.deepEqual(await menu.getByRole('link').allInnerTexts(), [
      `cockpit-review ${latest}`,
      `cockpit-review ${earlier}`,
    ]);
    await page.getByText(`called by Review`).first().waitFor();
    await shot(page, 'instance-call-activity-chooser');
    await chooser.click();
    assert.equal(await menu.count(), 0, 'the chooser closes again');

    // A click on the shape opens the most recent call's instance …
    await review.click();
    await page.waitForURL(`${server.url}/instances/${latest}`);
    await openInstance(latest!);
    await page.locator('.djs-element.token-active[data-element-id="approve"]').waitFor();
    // … which links back to its parent.
    await page
      .getByRole('navigation', { name: 'Called and calling instances' })
      .getByRole('link', { name: round.parent })
      .click();
    await page.waitForURL(`${server.url}/instances/${round.parent}`);
    await openInstance(round.parent);

    // The chooser opens an older call; the browser's back button returns to the parent.
    await clickable.waitFor();
    await chooser.click();
    await menu.getByRole('link', { name: `cockpit-review ${earlier}` }).click();
    await page.waitForURL(`${server.url}/instances/${earlier}`);
    await openInstance(earlier!);
    await page.goBack();
    await openInstance(round.parent);

    // One call: the ↗ link on the call activity opens it.
    const single = await startRound(['ada']);
    await page.goto(`${server.url}/instances/${single.parent}`);
    await openInstance(single.parent);
    assert.equal(await chooser.count(), 0, 'no chooser for a single call');
    await page.getByRole('link', { name: `Open called instance ${single.children[0]} of Review` }).click();
    await page.waitForURL(`${server.url}/instances/${single.children[0]}`);
    await openInstance(single.children[0]!);

    // No call (an empty collection): the call activity is not a link, a click only selects it.
    const none = await startRound([]);
    await page.goto(`${server.url}/instances/${none.parent}`);
    await openInstance(none.parent);
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('COMPLETED'));
    await review.click();
    await page.locator('.djs-element.selected-element[data-element-id="review"]').waitFor();
    assert.equal(page.url(), `${server.url}/instances/${none.parent}`);
    assert.equal(await clickable.count(), 0);
    assert.notEqual(await review.evaluate((el) => getComputedStyle(el).cursor), 'pointer');
  });

  test('migrates a running instance to another version by an element mapping; a refused mapping shows why', async () => {
    const deploy = async (name: string) => {
      const [process] = await rest.deploy([{ name, xml: fixture(name) }]);
      return {
        version: process!.processDefinitionVersion,
        processDefinitionKey: process!.processDefinitionKey,
      };
    };
    // Version 2 renames the task 'review' to 'approve' and adds a service task 'notify'.
    const v1 = await deploy('cockpit-migrate-v1.bpmn');
    const v2 = await deploy('cockpit-migrate-v2.bpmn');
    assert.equal(v2.version, 2);
    type Details = { instance: { processDefinitionKey: string; version: number } };
    /** Starts an instance of version 1 and opens it; it waits at its two user tasks, 'review' and 'pack'. */
    const startAndOpen = async () => {
      const { processInstanceKey } = await rest.post<{ processInstanceKey: string }>(
        '/v2/process-instances',
        {
          processDefinitionKey: v1.processDefinitionKey,
        },
      );
      await page.goto(`${server.url}/instances/${processInstanceKey}`);
      await page.getByRole('heading', { name: `Instance ${processInstanceKey}` }).waitFor();
      await page.locator('.diagram[data-loaded="true"]').waitFor();
      await page.locator('.djs-element.token-active[data-element-id="review"]').waitFor();
      await page.locator('.djs-element.token-active[data-element-id="pack"]').waitFor();
      return processInstanceKey;
    };
    const migrations: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/migration')) migrations.push(request.url());
    });
    const form = page.getByRole('form', { name: 'Migrate the instance' });
    const targetVersion = form.getByLabel('Target process version');
    const review = form.getByLabel('Target element for Review (review)');
    const pack = form.getByLabel('Target element for Pack (pack)');
    const refused = form.getByRole('alert').filter({ hasText: 'Migration refused' });

    const first = await startAndOpen();
    // The newest other version is proposed; one row per element holding a token, pre-filled where the target
    // has the same id, with the target's names and types to choose from.
    await form.getByRole('table', { name: 'Element mapping' }).waitFor();
    assert.equal(await targetVersion.inputValue(), v2.processDefinitionKey);
    assert.deepEqual(await targetVersion.locator('option').allInnerTexts(), [
      '(choose)',
      'cockpit-migrate version 2',
    ]);
    assert.equal(await form.locator('tr[data-source-element-id]').count(), 2);
    assert.equal(await pack.inputValue(), 'pack');
    assert.equal(await review.inputValue(), '');
    const choices = await review.locator('option').allInnerTexts();
    assert.ok(choices.includes('Approve (approve) — user task'), choices.join(', '));
    assert.ok(choices.includes('Notify customer (notify) — service task'), choices.join(', '));

    // An element left unmapped is caught in the page, named, and nothing is sent.
    await form.getByRole('button', { name: 'Migrate' }).click();
    await refused.waitFor();
    assert.match(await refused.innerText(), /Choose a target element for Review \(review\)/);
    assert.deepEqual(migrations, []);

    await review.selectOption('approve');
    await form.getByRole('button', { name: 'Migrate' }).click();
    await form.getByRole('status').filter({ hasText: 'Migrated to version 2' }).waitFor();
    assert.equal(await refused.count(), 0, 'the earlier problem is gone');
    assert.equal(migrations.length, 1);
    // The page follows: version 2 in the title, and the diagram of version 2 with the tokens where they moved.
    await page.getByRole('link', { name: 'cockpit-migrate version 2' }).waitFor();
    await page.locator('.djs-element.token-active[data-element-id="approve"]').waitFor();
    await page.locator('.djs-element.token-active[data-element-id="pack"]').waitFor();
    await page.locator('.djs-element[data-element-id="notify"]').waitFor();
    assert.equal(await page.locator('.djs-element[data-element-id="review"]').count(), 0);
    const migrated = await rest.get<Details>(`/baton/v1/process-instances/${first}`);
    assert.equal(migrated.instance.processDefinitionKey, v2.processDefinitionKey);
    assert.equal(migrated.instance.version, 2);
    await shot(page, 'instance-migrated');

    // A mapping the engine refuses (a user task to a service task): its message, and the form as it was.
    const second = await startAndOpen();
    await form.getByRole('table', { name: 'Element mapping' }).waitFor();
    await review.selectOption('notify');
    await form.getByRole('button', { name: 'Migrate' }).click();
    await refused.waitFor();
    const message = await refused.innerText();
    assert.match(
      message,
      new RegExp(
        `Expected to migrate process instance '${second}', but the element 'review' \\(USER_TASK\\) is mapped to 'notify' of another type \\(SERVICE_TASK\\)`,
      ),
    );
    assert.match(message, /INVALID_STATE/);
    assert.equal(await targetVersion.inputValue(), v2.processDefinitionKey);
    assert.equal(await review.inputValue(), 'notify');
    assert.equal(await pack.inputValue(), 'pack');
    await shot(page, 'instance-migration-refused');
    const unchanged = await rest.get<Details>(`/baton/v1/process-instances/${second}`);
    assert.equal(unchanged.instance.processDefinitionKey, v1.processDefinitionKey);
    assert.ok(await page.getByRole('link', { name: 'cockpit-migrate version 1' }).isVisible());
  });
});

describe('cockpit with authentication', () => {
  let server: BatonServer;
  let browser: Browser;

  before(async () => {
    browser = await launch();
    server = await startBaton(['--api-key', 'cockpit-secret']);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('asks for the API key on 401, keeps it for the tab and sends it on every call', async () => {
    const page = await newPage(browser);
    await page.goto(`${server.url}/`);
    const key = page.getByLabel('API key');
    await key.waitFor();
    await key.fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This API key is not valid.' }).waitFor();
    await shot(page, 'sign-in');

    await key.fill('cockpit-secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Running instances: 0' }).waitFor();
    assert.equal(await key.count(), 0, 'the sign-in form is gone');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('baton.apiKey')), 'cockpit-secret');
    // The update stream authenticates too: a deployment made elsewhere shows up on the open page.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Processes' }).click();
    await page.getByText('No process is deployed yet.').waitFor();
    await page.getByRole('status', { name: 'Live updates: Live' }).waitFor();
    await restClient(server.url, 'cockpit-secret').deploy([
      { name: 'cockpit-order.bpmn', xml: fixture('cockpit-order.bpmn') },
    ]);
    await page.getByRole('link', { name: 'Cockpit order' }).waitFor();
  });
});
