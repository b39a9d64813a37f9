/**
 * One CSV cell, quoted when it needs it (RFC 4180). Shared by the generic export writer
 * (src/ingest/generic-layout.ts) and the site's CSV downloads (src/site/csv-download.ts), which
 * otherwise have nothing to do with each other.
 */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
