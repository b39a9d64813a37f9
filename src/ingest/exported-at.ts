/**
 * When a file does not say when it was exported in its rows, its name often does
 * (`shifts-2026-11-16T0700.json`, `roster_20261116_070000.xlsx`). Read as Europe/London wall
 * clock. A date alone is not enough (it is usually the rota's week, not the export time).
 */
import { fromZonedWallClock } from '../calendar.js';

// Not followed by more of a date (`rota_2026-11-23_2026-11-29.csv` is a period, and its second
// date's year is no time of day: it read as 20:26:11).
const STAMP =
  /(\d{4})-?(\d{2})-?(\d{2})[T_ -]?(\d{2})[:.-]?(\d{2})(?:[:.-]?(\d{2}))?(?!\d|[-./]\d)/;

export function exportedAtFromFileName(fileName: string): Date | undefined {
  const m = STAMP.exec(fileName);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  return fromZonedWallClock(year, month, day, hour, minute, second);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Date-time tokens a title_line pattern may use inside its `{...}`, longest first. */
const TOKENS: [token: string, regex: string, part: 'y' | 'M' | 'd' | 'H' | 'm' | 's'][] = [
  ['yyyy', '(\\d{4})', 'y'],
  ['yy', '(\\d{2})', 'y'],
  ['MMMM', '([A-Za-z]{3,9})', 'M'],
  ['MMM', '([A-Za-z]{3})', 'M'],
  ['MM', '(\\d{2})', 'M'],
  ['M', '(\\d{1,2})', 'M'],
  ['dd', '(\\d{2})', 'd'],
  ['d', '(\\d{1,2})', 'd'],
  ['HH', '(\\d{2})', 'H'],
  ['H', '(\\d{1,2})', 'H'],
  ['mm', '(\\d{2})', 'm'],
  ['ss', '(\\d{2})', 's'],
];

const literal = (text: string) =>
  text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');

/**
 * The export time in a title line, by the mapping's `exported_at.title_line` pattern: literal
 * text (matched ignoring case and runs of spaces) around one `{...}` of yyyy yy MMMM MMM MM M dd
 * d HH H mm ss, e.g. `Exported {dd/MM/yyyy HH:mm}`. The first line that matches wins; read as
 * Europe/London wall clock. Undefined when no line matches or the date does not exist.
 */
export function exportedAtFromTitle(lines: readonly string[], pattern: string): Date | undefined {
  const m = /^([^{}]*)\{([^{}]+)\}([^{}]*)$/.exec(pattern);
  if (!m) return undefined;
  const [, before = '', format = '', after = ''] = m;
  const parts: ('y' | 'M' | 'd' | 'H' | 'm' | 's')[] = [];
  let regex = '';
  for (let i = 0; i < format.length; ) {
    const token = TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      regex += token[1];
      parts.push(token[2]);
      i += token[0].length;
    } else {
      regex += literal(format[i] as string);
      i += 1;
    }
  }
  const search = new RegExp(
    `${literal(before.trim())}\\s*${regex}\\s*${literal(after.trim())}`,
    'i',
  );
  for (const line of lines) {
    const found = search.exec(line);
    if (!found) continue;
    const value = { y: 0, M: 0, d: 0, H: 0, m: 0, s: 0 };
    parts.forEach((part, i) => {
      const text = found[i + 1] ?? '';
      if (part === 'M' && /[a-z]/i.test(text)) {
        value.M = MONTHS.indexOf(text.slice(0, 3).toLowerCase()) + 1;
      } else value[part] = Number(text);
    });
    if (value.y < 100) value.y += 2000;
    const { y, M, d, H, m: minute, s } = value;
    if (M < 1 || M > 12 || d < 1 || d > 31 || H > 23 || minute > 59 || s > 59) continue;
    const date = fromZonedWallClock(y, M, d, H, minute, s);
    const check = new Date(Date.UTC(y, M - 1, d));
    if (check.getUTCMonth() !== M - 1) continue;
    return date;
  }
  return undefined;
}
