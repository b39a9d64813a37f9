/**
 * When a file does not say when it was exported in its rows, its name often does
 * (`shifts-2026-11-16T0700.json`, `roster_20261116_070000.xlsx`). Read as Europe/London wall
 * clock. A date alone is not enough (it is usually the rota's week, not the export time).
 */
import { fromZonedWallClock } from '../calendar.js';

const STAMP = /(\d{4})-?(\d{2})-?(\d{2})[T_ -]?(\d{2})[:.-]?(\d{2})(?:[:.-]?(\d{2}))?(?!\d)/;

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
