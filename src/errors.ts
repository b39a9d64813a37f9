/**
 * Named errors. Row-level problems are data (rejects), not exceptions; these are for problems
 * that stop a whole step: bad configuration, a file that cannot be read at all, a missing object.
 */
export class RotascopeError extends Error {
  override name = 'RotascopeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A setting is missing or invalid. The message names the setting. */
export class ConfigError extends RotascopeError {
  override name = 'ConfigError';
}

/**
 * The command was asked for something that cannot be done as asked (a week that is not in the
 * data, or not over yet): the CLI exits 2, as for a bad option, and says what would work.
 */
export class UsageError extends RotascopeError {
  override name = 'UsageError';
}

/** A raw export cannot be read at all (wrong encoding, no header, not the expected format). */
export class UnreadableExportError extends RotascopeError {
  override name = 'UnreadableExportError';
  constructor(
    readonly key: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot read export ${printable(key)}: ${problem}`, options);
  }
}

/** Something that must always hold did not (rows in = accepted + rejected): a bug to report. */
export class InvariantError extends RotascopeError {
  override name = 'InvariantError';
}

/** An object that should exist in a store does not. */
export class ObjectNotFoundError extends RotascopeError {
  override name = 'ObjectNotFoundError';
  constructor(readonly key: string) {
    super(`No object at ${key}`);
  }
}

/** Every non-empty line of an error's message, trimmed and printable (a mapping's schema problems: one each). */
export function reasonLines(error: unknown): string[] {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text
    .split(/\r?\n/)
    .map((line) => printable(line.trim()))
    .filter((line) => line !== '');
}

/**
 * One line for a person: every line of the message, the later ones joined with '; ' (a line
 * ending in ':' introduces the rest), so no problem after the first line is lost.
 */
export function oneLineReason(error: unknown): string {
  const [first = error instanceof Error ? error.name : 'error', ...rest] = reasonLines(error);
  if (rest.length === 0) return first;
  return `${first}${first.endsWith(':') ? ' ' : '; '}${rest.join('; ')}`;
}

/** C0, DEL, C1, the Arabic letter mark, LRM/RLM, line/paragraph separators, bidi embeddings and isolates. */
function isUnsafe(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * Text safe to show on a terminal or in a log: control characters (C0, DEL, C1: newlines,
 * ESC sequences) and bidirectional overrides are written as escapes (`\n`, `\x1b`, `\u202e`),
 * so a file name cannot move the cursor, recolour the terminal or hide part of a line.
 */
export function printable(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (!isUnsafe(code)) out += c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return out;
}
