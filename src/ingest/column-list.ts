/**
 * The file's column names as a refused file's message lists them, so a misspelt column can be
 * fixed (`Break (mins)` where the mapping reads `Break (min)`), without echoing data: a file with
 * no header line has a row of data where its names should be (a payroll id, a clinician's name),
 * and the message goes to the ingest report and the Lambda's log. So a name is shown only when it
 * is a column the mapping reads or near one (the same letters and digits give or take a fifth of
 * them, or one starting with the other); the rest are counted, not shown.
 */

const SHOWN_AT_MOST = 60;

export function columnList(names: readonly string[], known: readonly string[]): string {
  if (names.length === 0) return '(no columns)';
  const knownKeys = [...new Set(known.map(letters))].filter((k) => k.length > 0);
  const shown: string[] = [];
  let hidden = 0;
  for (const name of names) {
    if (nearKnown(letters(name), knownKeys)) shown.push(shownName(name));
    else hidden += 1;
  }
  const listed = shown.slice(0, SHOWN_AT_MOST);
  const more = shown.length - listed.length;
  const parts = [listed.join(', ')].filter((p) => p.length > 0);
  if (more > 0) parts.push(`${more} more`);
  if (hidden > 0) {
    // Mostly names like no column of the mapping: most likely a row of data.
    const hint =
      hidden > shown.length
        ? ': if its first line is a row of data, the header line is missing'
        : '';
    parts.push(
      `${hidden} ${shown.length > 0 ? 'other ' : ''}column${hidden === 1 ? '' : 's'} not named here (${
        shown.length > 0 ? 'nothing' : 'none'
      } like a column the mapping reads${hint})`,
    );
  }
  return parts.length > 1
    ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
    : (parts[0] as string);
}

/**
 * A name as the message shows it: quoted when it holds a comma or a quote, and any character that
 * prints as nothing (a control or format character) written as its code point, `<U+200B>`, so
 * `status<U+200B>` does not read as the `status` the message says is missing.
 */
function shownName(name: string): string {
  const visible = name.replace(
    /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu,
    (c) => `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
  return /[,"]/.test(visible) ? JSON.stringify(visible) : visible;
}

/** Letters and digits only, lower case: `Break (mins)` -> `breakmins`. */
function letters(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function nearKnown(name: string, known: readonly string[]): boolean {
  if (name.length === 0) return false;
  return known.some(
    (k) =>
      k === name ||
      (k.length >= 4 && (name.startsWith(k) || (k.startsWith(name) && name.length >= 4))) ||
      (Math.min(k.length, name.length) >= 4 &&
        editDistance(k, name) <= Math.floor(Math.max(k.length, name.length) / 5)),
  );
}

/** Levenshtein distance (names are short: tens of characters). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * Columns a mapping reads that the file lacks, each with a column of the file that is near it and
 * that the mapping does not read (`break_mins` for `break_minutes`, `cost` for `cost_gbp`): an
 * optional column misspelt is otherwise read as absent (no break, no cost) unsaid. Near: as in
 * columnList, or sharing their first letters (at least 5, and three fifths of the shorter name).
 */
export function similarColumns(
  absent: readonly string[],
  present: readonly string[],
  read: readonly string[],
): { mapped: string; found: string }[] {
  const readKeys = new Set(read.map(letters));
  const unread = present.filter((p) => !readKeys.has(letters(p)));
  const out: { mapped: string; found: string }[] = [];
  for (const mapped of absent) {
    const key = letters(mapped);
    const found = unread.find((p) => {
      const name = letters(p);
      let common = 0;
      while (common < Math.min(name.length, key.length) && name[common] === key[common])
        common += 1;
      const shorter = Math.min(name.length, key.length);
      return nearKnown(name, [key]) || (common >= 5 && common >= 0.6 * shorter);
    });
    if (found !== undefined) out.push({ mapped, found });
  }
  return out;
}
