/**
 * Why a JSON export that JSON.parse refused is not one JSON document, in words a rota
 * coordinator can act on, when the shape of the text says more than the parser's message
 * ("Unexpected non-whitespace character after JSON at position 223"):
 * - one object per line (JSON Lines, NDJSON, as some APIs stream them);
 * - two or more documents one after another (API pages saved into one file: `[...][...]`);
 * - a document that never closes (a download cut off).
 * Anything else keeps the parser's message. Runs on the failure path only: one pass over the
 * text, skipping strings, counting brackets.
 */
import { endOfString } from './json-duplicate-keys.js';

export function notJsonReason(
  text: string,
  parserMessage: string,
  /** The mapping's path to the rows in the document (`formats.json.path`), if any. */
  envelopePath?: string,
): string {
  const parser = `it is not valid JSON (${parserMessage})`;
  const values = topLevelValues(text);
  const first = values?.[0];
  if (!values || !first) return parser;
  if (values.length === 1) {
    return first.open
      ? 'it is not valid JSON: it ends in the middle of the document (truncated? download or export it again)'
      : parser;
  }
  // The first document is whole: more follow it.
  try {
    JSON.parse(text.slice(first.start, first.end));
  } catch {
    return parser;
  }
  const cut = values.at(-1)?.open === true ? ', the last of them cut off (truncated?)' : '';
  if (values.every((v, i) => v.object && (i === 0 || v.onNewLine))) {
    const fix = envelopePath
      ? `save the API response as one document, its rows in an array at "${envelopePath}"`
      : 'put the rows in one JSON array, [{...}, {...}]';
    return `it is not valid JSON: it holds one JSON object per line (JSON Lines, ${values.length} lines${cut}), not one document; ${fix}`;
  }
  return `it is not valid JSON: it holds ${values.length} JSON documents one after another (pages of an API response saved into one file?${cut}), not one; upload each as its own file`;
}

interface TopValue {
  start: number;
  /** Just past its last character (the text's length when open). */
  end: number;
  /** It never closes: the text ends inside it. */
  open: boolean;
  /** It is an object (`{...}`). */
  object: boolean;
  /** A line end stands between it and the value before it. */
  onNewLine: boolean;
}

const OPENS = new Set([0x5b, 0x7b]);
const CLOSES = new Set([0x5d, 0x7d]);
/** What ends a bare number or literal: white space, a comma, a bracket or a quote. */
const ENDS_LITERAL = new Set([0x20, 0x09, 0x0a, 0x0d, 0x2c, 0x5b, 0x5d, 0x7b, 0x7d, 0x22]);

/**
 * The values at the top level of the text, one after another (by brackets and quotes, not a full
 * parse), up to the first that never closes; undefined when something between them is no value
 * (a stray comma or bracket), which the parser's message describes better.
 */
function topLevelValues(text: string): TopValue[] | undefined {
  const values: TopValue[] = [];
  let i = skipSpace(text, 0);
  let previousEnd = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    let end: number;
    if (OPENS.has(c)) {
      end = endOfNested(text, i);
    } else if (c === 0x22) {
      end = Math.min(endOfString(text, i) + 1, text.length + 1);
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) {
      end = i + 1;
      while (end < text.length && !ENDS_LITERAL.has(text.charCodeAt(end))) end += 1;
    } else {
      return undefined;
    }
    const open = end > text.length;
    values.push({
      start: i,
      end: Math.min(end, text.length),
      open,
      object: c === 0x7b,
      onNewLine: text.slice(previousEnd, i).includes('\n'),
    });
    if (open) break;
    previousEnd = end;
    i = skipSpace(text, end);
  }
  return values;
}

/** Just past the bracket closing the one at `start`, or past the text's end when none does. */
function endOfNested(text: string, start: number): number {
  let depth = 0;
  for (let j = start; j < text.length; j += 1) {
    const c = text.charCodeAt(j);
    if (c === 0x22) {
      j = endOfString(text, j);
    } else if (OPENS.has(c)) {
      depth += 1;
    } else if (CLOSES.has(c)) {
      depth -= 1;
      if (depth === 0) return j + 1;
    }
  }
  return text.length + 1;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i += 1;
  }
  return i;
}
