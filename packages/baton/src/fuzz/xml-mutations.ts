import fc from 'fast-check';

// Mutations of valid XML documents, for the deployment fuzzing: a valid model is the best seed, because
// random bytes rarely get past the XML parser, while a valid model with one thing wrong reaches validation
// and compilation.

/** The document cut into tags (`<…>`) and the text between them. */
function tokens(xml: string): string[] {
  return xml.match(/<[^>]*>|[^<]+/g) ?? [];
}

const NAME = fc.constantFrom(
  'id',
  'sourceRef',
  'targetRef',
  'default',
  'attachedToRef',
  'type',
  'retries',
  'isExecutable',
  'cancelActivity',
  'name',
  'xsi:type',
  'messageRef',
  'errorRef',
  'calledElement',
  'processId',
  'hitPolicy',
  'typeRef',
  'href',
  'xmlns',
  'xmlns:bpmn',
  'xmlns:zeebe',
);

const ELEMENT = fc.constantFrom(
  'bpmn:task',
  'bpmn:serviceTask',
  'bpmn:subProcess',
  'bpmn:startEvent',
  'bpmn:endEvent',
  'bpmn:boundaryEvent',
  'bpmn:sequenceFlow',
  'bpmn:exclusiveGateway',
  'bpmn:parallelGateway',
  'bpmn:eventBasedGateway',
  'bpmn:callActivity',
  'bpmn:multiInstanceLoopCharacteristics',
  'bpmn:timerEventDefinition',
  'bpmn:errorEventDefinition',
  'bpmn:messageEventDefinition',
  'bpmn:process',
  'bpmn:definitions',
  'zeebe:taskDefinition',
  'zeebe:ioMapping',
  'decision',
  'decisionTable',
  'rule',
  'inputEntry',
  'definitions',
  'x:unknown',
  '',
);

/** Attribute values worth trying: empty, huge, FEEL, entities, control characters, numbers out of range. */
const VALUE = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '=',
    '= for i in 1..100000000 return i',
    '&amp;&lt;&#0;&#xFFFF;',
    '&undefined;',
    '-1',
    '1e309',
    '99999999999999999999',
    'NaN',
    'R/PT0S',
    'PT-1S',
    '#',
    '__proto__',
    'constructor',
    'true',
  ),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/["<&]/g, '_')),
  fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
);

type Mutation = (parts: string[]) => string[];

const at = <T>(list: readonly T[], index: number): number => (list.length === 0 ? 0 : index % list.length);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Drop a tag (or a text): leaves an unclosed element, a missing flow end, a missing definition.
  fc.nat().map((i) => (parts: string[]) => parts.filter((_, j) => j !== at(parts, i))),
  // Duplicate one: duplicate ids, two start events, an element closed twice.
  fc.nat().map((i) => (parts: string[]) => parts.flatMap((p, j) => (j === at(parts, i) ? [p, p] : [p]))),
  // Rename an element (both ends of it, or only one).
  fc.tuple(fc.nat(), ELEMENT, fc.boolean()).map(([i, name, both]) => (parts: string[]) => {
    const tags = parts.filter((p) => /^<\/?[\w:]/.test(p));
    const old = /^<\/?([\w:.-]+)/.exec(tags[at(tags, i)] ?? '')?.[1];
    if (!old) return parts;
    let done = false;
    return parts.map((p) => {
      if (done && !both) return p;
      const renamed = p.replace(new RegExp(`^(</?)${old.replace(/[.]/g, '\\.')}\\b`), `$1${name}`);
      if (renamed !== p) done = true;
      return renamed;
    });
  }),
  // Drop, rename or duplicate an attribute, or give it another value.
  fc
    .tuple(fc.nat(), fc.nat(), fc.constantFrom('drop', 'rename', 'duplicate', 'value'), NAME, VALUE)
    .map(([i, k, how, name, value]) => (parts: string[]) => {
      const tagIndexes = parts.flatMap((p, j) => (/^<[\w:]/.test(p) && p.includes('=') ? [j] : []));
      const j = tagIndexes[at(tagIndexes, i)];
      if (j === undefined) return parts;
      const attributes = [...parts[j]!.matchAll(/\s([\w:.-]+)="([^"]*)"/g)];
      const attribute = attributes[at(attributes, k)];
      if (!attribute) return parts;
      const [whole, attrName] = attribute;
      const replacement =
        how === 'drop'
          ? ''
          : how === 'rename'
            ? ` ${name}="${attribute[2]}"`
            : how === 'duplicate'
              ? `${whole} ${attrName}="${value}"`
              : ` ${attrName}="${value}"`;
      const copy = [...parts];
      copy[j] = parts[j]!.replace(whole, replacement);
      return copy;
    }),
  // Add an attribute that was not there.
  fc.tuple(fc.nat(), NAME, VALUE).map(([i, name, value]) => (parts: string[]) => {
    const tagIndexes = parts.flatMap((p, j) => (/^<[\w:]/.test(p) ? [j] : []));
    const j = tagIndexes[at(tagIndexes, i)];
    if (j === undefined) return parts;
    const copy = [...parts];
    copy[j] = parts[j]!.replace(/^<([\w:.-]+)/, `<$1 ${name}="${value}"`);
    return copy;
  }),
  // Garbage bytes somewhere (control characters, lone surrogates, markup characters).
  fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 30 })).map(([i, junk]) => (parts: string[]) => {
    const copy = [...parts];
    copy.splice(at(parts, i), 0, junk);
    return copy;
  }),
  // Deep nesting of one element kind, inside the process or anywhere.
  fc
    .tuple(fc.nat(), ELEMENT, fc.integer({ min: 50, max: 5_000 }))
    .map(([i, name, depth]) => (parts: string[]) => {
      const tag = name || 'bpmn:subProcess';
      const copy = [...parts];
      const open = Array.from({ length: depth }, (_, d) => `<${tag} id="deep${d}">`).join('');
      copy.splice(at(parts, i), 0, open + `</${tag}>`.repeat(depth));
      return copy;
    }),
  // Cut the document short.
  fc.nat().map((i) => (parts: string[]) => parts.slice(0, at(parts, i))),
  // Many copies of one element (wide models).
  fc.tuple(fc.nat(), fc.integer({ min: 100, max: 3_000 })).map(([i, n]) => (parts: string[]) => {
    const tagIndexes = parts.flatMap((p, j) => (/^<[\w:][^>]*\/>$/.test(p) ? [j] : []));
    const j = tagIndexes[at(tagIndexes, i)];
    if (j === undefined) return parts;
    const copy = [...parts];
    copy[j] = Array.from({ length: n }, (_, m) => parts[j]!.replace(/id="([^"]*)"/, `id="$1_${m}"`)).join('');
    return copy;
  }),
  // A DOCTYPE, processing instruction or CDATA where none belongs.
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom(
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE x SYSTEM "file:///etc/passwd">',
        '<?xml version="1.0"?>',
        '<![CDATA[ ]]>',
        '<![CDATA[',
        '<!-- ',
        '<?pi ',
        ']]>',
      ),
    )
    .map(([i, markup]) => (parts: string[]) => {
      const copy = [...parts];
      copy.splice(at(parts, i), 0, markup);
      return copy;
    }),
);

/** A seed document with one to four mutations applied. */
export function mutatedXml(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([seed, mutations]) => mutations.reduce((parts, m) => m(parts), tokens(seed)).join(''));
}

/** Bytes of a document in a random encoding, with or without a byte order mark and a declaration saying so. */
export function encodedXml(xml: fc.Arbitrary<string>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      xml,
      fc.constantFrom('utf-8', 'utf-16le', 'utf-16be', 'latin1'),
      fc.boolean(),
      fc.constantFrom('UTF-8', 'UTF-16', 'ISO-8859-1', 'windows-1252', 'US-ASCII', 'EBCDIC', 'x-unknown', ''),
    )
    .map(([text, encoding, bom, declared]) => {
      const declaredText = declared ? text.replace(/encoding="[^"]*"/, `encoding="${declared}"`) : text;
      const body =
        encoding === 'utf-16be'
          ? Buffer.from(declaredText, 'utf16le').swap16()
          : Buffer.from(declaredText, encoding === 'utf-16le' ? 'utf16le' : encoding);
      const mark =
        !bom || encoding === 'latin1'
          ? []
          : encoding === 'utf-8'
            ? [0xef, 0xbb, 0xbf]
            : encoding === 'utf-16le'
              ? [0xff, 0xfe]
              : [0xfe, 0xff];
      return new Uint8Array([...mark, ...body]);
    });
}
