import { BatonError } from '../errors.js';

/**
 * Turns the bytes of a deployed resource into text, as an XML parser reads them: a byte order mark wins
 * (UTF-8, UTF-16 LE/BE), then the `encoding` of the XML declaration (`ISO-8859-1`, `windows-1252`,
 * `US-ASCII`, any label `TextDecoder` knows), else UTF-8 (also for JSON: forms). An encoding nobody knows
 * is refused naming the resource.
 */
export function decodeResource(resourceName: string, bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decode('utf-8', bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode('utf-16le', bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode('utf-16be', bytes.subarray(2));
  // UTF-16 without a mark: '<' is then 3C 00 (little endian) or 00 3C (big endian).
  if (bytes[0] === 0x3c && bytes[1] === 0x00) return decode('utf-16le', bytes);
  if (bytes[0] === 0x00 && bytes[1] === 0x3c) return decode('utf-16be', bytes);
  // The declaration itself is ASCII in every encoding it may name.
  const head = decode('latin1', bytes.subarray(0, 256));
  const declared = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
  if (!declared) return decode('utf-8', bytes);
  try {
    return decode(declared, bytes);
  } catch {
    throw new BatonError(
      'INVALID_ARGUMENT',
      `'${resourceName}': Expected a document encoding that can be decoded (UTF-8, UTF-16, ISO-8859-1, windows-1252, US-ASCII …), but it declares '${declared}'`,
    );
  }
}

function decode(label: string, bytes: Uint8Array): string {
  const decoder = new TextDecoder(label);
  return decoder.encoding === 'windows-1252' ? decodeWindows1252(bytes) : decoder.decode(bytes);
}

/**
 * windows-1252, which the encoding standard also uses for the `ISO-8859-1` and `US-ASCII` labels. Decoded
 * here: some Node versions decode it as plain Latin-1, leaving 0x80–0x9F (€, „, “, ” …) as control characters.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (let start = 0; start < bytes.length; start += 8192) {
    const chunk = Array.from(bytes.subarray(start, start + 8192), (b) =>
      b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80]! : b,
    );
    text += String.fromCharCode(...chunk);
  }
  return text;
}

/** Code points of bytes 0x80–0x9F in windows-1252 (undefined bytes map to the same C1 control). */
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];
