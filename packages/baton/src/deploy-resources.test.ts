import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BatonError } from './errors.js';
import { decodeResource } from './runtime/decode-resource.js';
import { memoryEngine } from './test-support/fixture.js';
import { stateOf } from './internal.js';

/** A one-task process named in German, with an optional XML declaration and diagram. */
const german = (declaration: string, diagram = '') => `${declaration}
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="d" targetNamespace="t">
  <bpmn:process id="pruefung" name="Prüfung für 5 €" isExecutable="true">
    <bpmn:startEvent id="s"/><bpmn:manualTask id="t" name="Größe prüfen"/><bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
  </bpmn:process>${diagram}
</bpmn:definitions>`;

const latin1 = (text: string) => Buffer.from(text, 'latin1');
/** windows-1252: latin1 except € (0x80) and a few more in 0x80–0x9F. */
const cp1252 = (text: string) => Buffer.from(latin1(text).map((b, i) => (text[i] === '€' ? 0x80 : b)));

describe('deploying resources as bytes (issue 13)', () => {
  it('decodes by the XML declaration, the byte order mark, else UTF-8', () => {
    const name = (text: string) => /name="([^"]*)"/.exec(text)?.[1];
    assert.equal(
      name(
        decodeResource(
          'a.bpmn',
          latin1(german('<?xml version="1.0" encoding="ISO-8859-1"?>').replace('€', 'EUR')),
        ),
      ),
      'Prüfung für 5 EUR',
    );
    assert.equal(
      name(decodeResource('a.bpmn', cp1252(german("<?xml version='1.0' encoding='windows-1252'?>")))),
      'Prüfung für 5 €',
    );
    assert.equal(
      name(decodeResource('a.bpmn', Buffer.from(german('<?xml version="1.0"?>')))),
      'Prüfung für 5 €',
    );
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(german('<?xml version="1.0" encoding="UTF-16"?>'), 'utf16le'),
    ]);
    assert.equal(name(decodeResource('a.bpmn', utf16)), 'Prüfung für 5 €');
    const bom8 = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(german('<?xml version="1.0"?>')),
    ]);
    assert.equal(name(decodeResource('a.bpmn', bom8)), 'Prüfung für 5 €');
    const ascii = '<?xml version="1.0" encoding="US-ASCII"?><x/>';
    assert.equal(decodeResource('a.bpmn', Buffer.from(ascii)), ascii);
    assert.throws(
      () => decodeResource('odd.bpmn', Buffer.from('<?xml version="1.0" encoding="x-klingon"?><x/>')),
      (e: BatonError) => e.code === 'INVALID_ARGUMENT' && /'odd.bpmn'.*'x-klingon'/.test(e.message),
    );
  });

  it('deploys ISO-8859-1 and windows-1252 models through the engine API, names intact', async () => {
    const { engine } = await memoryEngine();
    await engine.deploy({
      name: 'latin1.bpmn',
      content: latin1(german('<?xml version="1.0" encoding="ISO-8859-1"?>').replace('€', 'EUR')),
    });
    const process = () => stateOf(engine).latestProcess('pruefung')!;
    assert.equal(process().executable.name, 'Prüfung für 5 EUR');
    assert.equal(process().executable.elements.t!.name, 'Größe prüfen');
    await engine.deploy({
      name: 'cp1252.bpmn',
      content: cp1252(german('<?xml version="1.0" encoding="windows-1252"?>')),
    });
    assert.equal(process().executable.name, 'Prüfung für 5 €');
    // A string is text already: its declaration no longer describes it, and does not refuse it.
    await engine.deploy({ name: 'text.bpmn', xml: german('<?xml version="1.0" encoding="US-ASCII"?>') });
    assert.equal(process().version, 3);
    await engine.close();
  });

  it('diagram interchange pointing to a renamed process deploys, with warnings in the result and the log', async () => {
    const { engine, records } = await memoryEngine();
    const diagram = `<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="renamed_process">
      <bpmndi:BPMNShape id="S" bpmnElement="old_task"><dc:Bounds x="1" y="1" width="1" height="1"/></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`;
    const deployment = await engine.deploy({
      name: 'renamed.bpmn',
      xml: german('<?xml version="1.0" encoding="UTF-8"?>', diagram),
    });
    assert.equal(deployment.processes[0]!.bpmnProcessId, 'pruefung');
    assert.equal(deployment.warnings.length, 2);
    assert.match(
      deployment.warnings[0]!,
      /'renamed.bpmn', element 'P': unresolved reference <renamed_process>/,
    );
    const created = records.find((r) => r.valueType === 'DEPLOYMENT' && r.intent === 'CREATED');
    assert.deepEqual(created?.valueType === 'DEPLOYMENT' && created.value.warnings, deployment.warnings);
    await engine.close();
  });
});
