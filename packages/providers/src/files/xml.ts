import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InvalidFileError } from './types.ts';

export type XmlNode = Record<string, unknown>;

/** Parses XML with namespace prefixes removed (`gpxtpx:hr` → `hr`) and attributes as `@_name`. */
export function parseXml(text: string, arrayTags: readonly string[], filename: string | undefined): XmlNode {
  // Activity files never need a DTD; refusing one rules out entity expansion (XXE, billion laughs).
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new InvalidFileError(
      'MALFORMED_XML',
      'XML with a <!DOCTYPE> or <!ENTITY> declaration is not accepted (activity files need none)',
      { filename },
    );
  }
  let validation: ReturnType<typeof XMLValidator.validate>;
  try {
    validation = XMLValidator.validate(text);
  } catch (err) {
    throw unreadable(err, filename);
  }
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw new InvalidFileError('MALFORMED_XML', `malformed XML at line ${line}, column ${col}: ${msg}`, {
      filename,
    });
  }
  const arrays = new Set(arrayTags);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: false,
    isArray: (tagName) => arrays.has(tagName),
    maxNestedTags: MAX_XML_DEPTH,
  });
  try {
    return parser.parse(text) as XmlNode;
  } catch (err) {
    throw unreadable(err, filename);
  }
}

/** GPX and TCX nest about 8 deep; anything near this is not an activity file. */
const MAX_XML_DEPTH = 64;

function unreadable(err: unknown, filename: string | undefined): InvalidFileError {
  const nested = err instanceof RangeError || /nest/i.test(String((err as Error)?.message));
  return new InvalidFileError(
    'MALFORMED_XML',
    nested
      ? `XML is nested more than ${MAX_XML_DEPTH} elements deep, which no activity file is`
      : `XML could not be read: ${(err as Error)?.message ?? String(err)}`,
    { filename },
  );
}

/**
 * Epoch ms of an XML dateTime. GPX and TCX times are UTC: one written without a zone is read as
 * UTC (not in the server's zone). NaN when it is not a date.
 */
export function xmlTimeMs(value: string | undefined): number {
  if (value === undefined) return Number.NaN;
  const trimmed = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(trimmed))
    return Number.NaN;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) ? trimmed : `${trimmed}Z`;
  return Date.parse(zoned);
}

export function child(node: unknown, name: string): XmlNode | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const value = (node as XmlNode)[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as XmlNode)
    : undefined;
}

export function children(node: unknown, name: string): XmlNode[] {
  if (typeof node !== 'object' || node === null) return [];
  const value = (node as XmlNode)[name];
  if (Array.isArray(value)) return value.filter((v): v is XmlNode => typeof v === 'object' && v !== null);
  return typeof value === 'object' && value !== null ? [value as XmlNode] : [];
}

/** Text of a leaf (or of `#text` when the element also has attributes). */
export function text(node: unknown, name: string): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const value = (node as XmlNode)[name];
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null && '#text' in value)
    return String((value as XmlNode)['#text']).trim();
  return undefined;
}

/** First descendant with this name (depth-first); extensions nest differently per vendor. */
export function findDeep(node: unknown, name: string): unknown {
  if (typeof node !== 'object' || node === null) return undefined;
  for (const [key, value] of Object.entries(node as XmlNode)) {
    if (key === name) return value;
    const found = findDeep(value, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Text or attribute value safe to place in XML. */
export function escapeXml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}

/** An XML dateTime in UTC with milliseconds. */
export const xmlTime = (ms: number) => new Date(ms).toISOString();
