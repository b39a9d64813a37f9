/**
 * Organisation names as people read them. The NHS reference files give names in capitals
 * ("TOWER HAMLETS NETWORK 7 PCN", "THE CHRISP STREET HTH CTR"); a 48 px heading in capitals
 * shouts, so the pages show them in title case, keeping the acronyms readers know as acronyms.
 * A name that already has lower-case letters is left as it is. Pure.
 */

/** Words kept in capitals. */
const ACRONYMS = new Set([
  'PCN',
  'NHS',
  'GP',
  'GPS',
  'ICB',
  'CCG',
  'UK',
  'HCA',
  'ARRS',
  'II',
  'III',
  'IV',
]);
/** Words in lower case unless they start the name. */
const SMALL = new Set(['and', 'of', 'the', 'at', 'on', 'in', 'for', 'with', 'upon']);

function word(w: string, first: boolean): string {
  if (ACRONYMS.has(w)) return w === 'GPS' ? 'GPs' : w;
  const lower = w.toLowerCase();
  if (!first && SMALL.has(lower)) return lower;
  // Capitalise after the start and after hyphens, apostrophes before a letter run ("O'Neil"
  // but "John's"), and brackets.
  return lower.replace(/(^|[-(/])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

export function displayName(name: string): string {
  if (/[a-z]/.test(name)) return name;
  return name
    .split(/(\s+)/)
    .map((part, i) => (/^\s+$/.test(part) ? part : word(part, i === 0)))
    .join('');
}
