import { HttpError } from './http-error.js';

/** One part of a `multipart/form-data` body. */
export interface FormPart {
  /** The form field name. */
  readonly name: string;
  /** The file name, for file parts. */
  readonly filename?: string;
  readonly content: Buffer;
}

/**
 * Splits a `multipart/form-data` body (RFC 7578) into its parts. Small and strict: enough for uploading
 * BPMN files with curl or a browser form, which is all the deployment route needs.
 */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw invalid('the multipart Content-Type has no boundary');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]!.trim()}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) throw invalid('the body does not contain the multipart boundary');
  for (;;) {
    start += delimiter.length;
    // "--" right after a delimiter ends the body.
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw invalid('the multipart body is not terminated');
    // Each part is CRLF, headers, CRLF CRLF, content, CRLF, then the next delimiter.
    const part = body.subarray(start + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw invalid('a multipart part has no header section');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const disposition = /content-disposition:\s*form-data(.*)/i.exec(headers)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw invalid('a multipart part has no form-data name');
    parts.push({
      name,
      ...(filename !== undefined ? { filename } : {}),
      content: part.subarray(headerEnd + 4),
    });
    start = next;
  }
  return parts;
}

const invalid = (reason: string) =>
  new HttpError(400, 'INVALID_ARGUMENT', `Expected multipart/form-data: ${reason}`);
