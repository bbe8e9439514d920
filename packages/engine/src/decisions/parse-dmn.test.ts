import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDmn } from './parse-dmn.js';

const dmn = (di: string, declaration = '<?xml version="1.0" encoding="UTF-8"?>') => `${declaration}
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" id="drg" name="Prüfungen" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="grade" name="Prüfung"><literalExpression><text>"bestanden"</text></literalExpression></decision>
  <dmndi:DMNDI><dmndi:DMNDiagram id="D">${di}</dmndi:DMNDiagram></dmndi:DMNDI>
</definitions>`;

describe('parseDmn (issue 13)', () => {
  it('a DMN shape pointing to a missing decision is a warning, not a refusal', async () => {
    const result = await parseDmn(
      'grades.dmn',
      dmn(
        '<dmndi:DMNShape id="S" dmnElementRef="renamed_decision"><dc:Bounds height="80" width="180" x="160" y="100"/></dmndi:DMNShape>',
      ),
    );
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.deepEqual(Object.keys(result.value.decisions), ['grade']);
    assert.equal(result.modelWarnings.length, 1);
    assert.match(result.modelWarnings[0]!, /^'grades.dmn'.*unresolved reference <renamed_decision>/);
  });

  it('reads a resource declared ISO-8859-1', async () => {
    const result = await parseDmn('latin.dmn', dmn('', '<?xml version="1.0" encoding="ISO-8859-1"?>'));
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.equal(result.value.decisions.grade!.name, 'Prüfung');
    assert.deepEqual(result.modelWarnings, []);
  });

  it('a semantic problem still refuses the resource', async () => {
    const result = await parseDmn(
      'broken.dmn',
      dmn('').replace('<decision id="grade"', '<decision id="grade" unknownThing="1"'),
    );
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, /unknown attribute <unknownThing>/);
  });
});
