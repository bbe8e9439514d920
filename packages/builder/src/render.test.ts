// Renders builder output in bpmn-js (the viewer Camunda Modeler and the cockpit use) inside headless
// Chromium: the proof that the generated diagram is one a person can look at.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import type { ProcessBuilder } from './index.js';
import { parseStrict } from './test-support.js';
import { boundariesAndSubProcesses, branchAndJoin, everything, retryLoop } from './test-models.js';

/** Debian's Chromium; BATON_CHROMIUM points elsewhere (a missing file shows the prerequisite check). */
const CHROMIUM = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/builder/', import.meta.url));

interface Rendered {
  readonly warnings: string[];
  readonly shapes: { id: string; type: string }[];
}

describe('rendering builder output with bpmn-js in headless Chromium', { timeout: 120_000 }, () => {
  let browser: Browser | undefined;
  let viewerScript: string;
  let diagramCss: string;

  before(async () => {
    // Not a skip: CI installs Chromium (.ci/), so a missing binary is a broken machine worth reporting.
    assert.ok(
      existsSync(CHROMIUM),
      `the rendering test needs Chromium at ${CHROMIUM}; install it (Debian: apt-get install chromium) or set BATON_CHROMIUM`,
    );
    viewerScript = await readFile(require.resolve('bpmn-js/dist/bpmn-viewer.production.min.js'), 'utf8');
    diagramCss = await readFile(require.resolve('bpmn-js/dist/assets/diagram-js.css'), 'utf8');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  after(async () => {
    await browser?.close();
  });

  const models: Record<string, () => ProcessBuilder> = {
    'branch-and-join': branchAndJoin,
    everything,
    'retry-loop': retryLoop,
    'boundaries-and-sub-processes': boundariesAndSubProcesses,
  };

  for (const [name, model] of Object.entries(models)) {
    it(`imports '${name}' without warnings and draws every element`, async () => {
      const xml = await model().toXml();
      const semantic = (await parseStrict(xml)).elements;

      const rendered = await render(xml, join(ARTIFACTS, `${name}.png`));

      assert.deepEqual(rendered.warnings, [], 'bpmn-js importXML reports no warnings');
      const drawn = new Map(rendered.shapes.map((s) => [s.id, s.type]));
      for (const [id, element] of semantic) {
        assert.equal(drawn.get(id), element.$type, `'${id}' is drawn as a ${element.$type}`);
      }
    });
  }

  async function render(xml: string, screenshotPath: string): Promise<Rendered> {
    assert.ok(browser, 'Chromium started');
    const page = await browser.newPage({ viewport: { width: 1600, height: 800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      // No server and no CDN: the page is inline, the viewer bundle comes from node_modules.
      await page.setContent(
        '<!doctype html><html><body style="margin:0;background:#fff">' +
          '<div id="canvas" style="width:1600px;height:800px"></div></body></html>',
      );
      await page.addStyleTag({ content: diagramCss });
      await page.addScriptTag({ content: viewerScript });
      const rendered = await page.evaluate(async (diagram: string): Promise<Rendered> => {
        interface Viewer {
          importXML(xml: string): Promise<{ warnings: { message?: string }[] }>;
          get(name: 'canvas'): { zoom(level: string, center: string): void };
          get(name: 'elementRegistry'): { getAll(): { id: string; type: string }[] };
        }
        const BpmnJS = (globalThis as unknown as { BpmnJS: new (options: { container: string }) => Viewer })
          .BpmnJS;
        const viewer = new BpmnJS({ container: '#canvas' });
        const { warnings } = await viewer.importXML(diagram);
        viewer.get('canvas').zoom('fit-viewport', 'auto');
        return {
          warnings: warnings.map((w) => String(w.message ?? w)),
          shapes: viewer
            .get('elementRegistry')
            .getAll()
            .map((e) => ({ id: e.id, type: e.type })),
        };
      }, xml);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.locator('#canvas').screenshot({ path: screenshotPath });
      assert.deepEqual(pageErrors, [], 'the page raised no errors');
      return rendered;
    } finally {
      await page.close();
    }
  }
});
