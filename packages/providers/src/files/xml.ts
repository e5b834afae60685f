import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InvalidFileError } from './types.ts';

export type XmlNode = Record<string, unknown>;

/** Parses XML with namespace prefixes removed (`gpxtpx:hr` → `hr`) and attributes as `@_name`. */
export function parseXml(text: string, arrayTags: readonly string[], filename: string | undefined): XmlNode {
  const validation = XMLValidator.validate(text);
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
  });
  return parser.parse(text) as XmlNode;
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
