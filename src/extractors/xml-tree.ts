import type { SaxesParser } from 'saxes';
import { lazy } from '../core/lazy.js';
import { LineIndex } from '../model/location.js';
import type { ExtractError } from '../model/source.js';

const saxes = lazy<typeof import('saxes')>('saxes');

/** An element of an XML document with the place its start tag stands. */
export interface XmlElement {
  /** The local name: `dependency` for `<dependency>` and for `<pom:dependency>`. */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text and CDATA, untrimmed (child elements' text is theirs). */
  text: string;
  /** 1-based line and column of the `<` that opens the element. */
  line: number;
  column: number;
}

export interface XmlDocument {
  root: XmlElement | undefined;
  /** The first well-formedness error (saxes reports each later one as a consequence of it). */
  errors: ExtractError[];
}

/**
 * An XML document as a tree with positions, read with saxes (a conforming, non-validating parser that never
 * fetches external entities). Reading goes on after an error, so a broken file still yields the elements
 * before and around the break.
 */
export function parseXml(text: string): XmlDocument {
  const parser: SaxesParser<{ xmlns: false; position: true }> = new (saxes().SaxesParser)({ position: true });
  const errors: ExtractError[] = [];
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = new LineIndex(source);
  const lastLine = lines.lineCount;
  let root: XmlElement | undefined;
  const open: XmlElement[] = [];
  let tagStart = { line: 1, column: 1 };
  parser.on('error', (error) => {
    if (errors.length > 0) return;
    // saxes prefixes its messages with `line:column: `.
    const message = error.message.replace(/^\d+:\d+:\s*/, '');
    errors.push({
      line: Math.min(Math.max(parser.line, 1), lastLine),
      column: parser.column + 1,
      message: `invalid XML: ${message}`,
    });
  });
  parser.on('opentagstart', (tag) => {
    // saxes stands after the name and the character that ended it (a space, a newline, `>` or `/`).
    tagStart = lines.position(Math.max(parser.position - tag.name.length - 2, 0));
  });
  parser.on('opentag', (tag) => {
    const colon = tag.name.indexOf(':');
    const element: XmlElement = {
      name: colon === -1 ? tag.name : tag.name.slice(colon + 1),
      attributes: tag.attributes,
      children: [],
      text: '',
      ...tagStart,
    };
    const parent = open.at(-1);
    if (parent) parent.children.push(element);
    else root ??= element;
    if (!tag.isSelfClosing) open.push(element);
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) open.pop();
  });
  const addText = (chunk: string) => {
    const current = open.at(-1);
    if (current) current.text += chunk;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  try {
    // A byte order mark is not part of the document.
    parser.write(source).close();
  } catch (error) {
    if (errors.length === 0) errors.push({ line: 1, message: `invalid XML: ${String(error)}` });
  }
  if (!root && errors.length === 0) errors.push({ line: 1, message: 'invalid XML: no root element' });
  return { root, errors };
}

export function childElement(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((child) => child.name === name);
}

export function childElements(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((child) => child.name === name) ?? [];
}

/** The trimmed text of the first child named `name`; undefined when there is none or it is empty. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const text = childElement(element, name)?.text.trim();
  return text === '' ? undefined : text;
}

/** An attribute by name, case-insensitively (MSBuild attribute names are case-insensitive). */
export function attribute(element: XmlElement, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(element.attributes)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
