/**
 * The plausible dates of a shift (and of an availability week): from a fixed earliest date to a
 * number of days after the export's own date (the row's exported_at after its fallbacks, in
 * London; the ingest date instead if the export claims to be from the future, so a mistyped
 * exported_at cannot widen the window). A date outside is a row reject, `date_out_of_range`: a
 * year typed wrong (0026, 2062) would otherwise move every network's "latest week". Configured
 * by ROTASCOPE_EARLIEST_SHIFT_DATE and ROTASCOPE_MAX_DAYS_AHEAD (src/config.ts,
 * docs/configuration.md).
 */
export interface DateWindow {
  /** The earliest plausible date, YYYY-MM-DD. */
  earliest: string;
  /** How many days after the export's own date a shift may be (rotas are planned ahead). */
  maxDaysAhead: number;
}

export const DEFAULT_DATE_WINDOW: DateWindow = { earliest: '2015-01-01', maxDaysAhead: 400 };
