/**
 * The ingest report (manifest) of one raw export: what ingest writes beside the curated output as
 * `ingests/<hash>.json` (curated-layout.ts `manifestKey`), and what `publish` reads back for the
 * site's data-quality figures. Ingest writes it; the site and the infra only read it.
 */

/** Which kind of rows an export holds: the curated table they go to (curated-layout.ts). */
export type ExportKind = 'shifts' | 'availability';

/** The ingest report of one file, stored as JSON beside the curated output. */
export interface IngestManifest {
  sourceFile: string;
  sourceSystem: string;
  kind: ExportKind;
  format: string;
  contentSha256: string;
  networkCode: string;
  rowsIn: number;
  accepted: number;
  rejected: number;
  rejectsByReason: Record<string, number>;
  /** Networks and ISO weeks (Mondays) the accepted rows fall in. */
  networks: string[];
  weeks: string[];
  /**
   * The file's export time (ISO instant): the latest of its accepted rows', else of its rows'
   * with a plausible one, else the file's own (write-curated.ts FILE_EXPORTED_AT_SQL); null for
   * an empty file.
   */
  exportedAt: string | null;
  /**
   * Where that export time came from, in the order tried (docs/mappings.md, "Export time"): the
   * rows' own column, the file's title line or JSON metadata, a stamp in the file name, else
   * the raw object's modified time (a copy made later looks newer: the report warns).
   */
  exportedAtSource: ExportedAtSource;
  curatedKeys: string[];
  /**
   * XLSX: visible sheets other than the one read that hold non-blank rows (a summary, or rows
   * typed on a sheet without a header), so they are not left out unsaid; absent when none.
   */
  unreadSheets?: { name: string; rows: number }[];
  /**
   * XLSX: data rows hidden in the sheet read (filtered out, or hidden by hand). They are read
   * like every other row, and counted here so the report says so; absent when none.
   */
  hiddenRows?: number;
  /**
   * XLSX: columns the mapping reads that are hidden in the sheet read (hidden, or zero wide) and
   * hold values. They are read like every other column, and named here so the report says so;
   * absent when none.
   */
  hiddenColumns?: string[];
  /**
   * Columns the mapping reads that the file lacks, each with a near name the file has that was
   * not read (`break_mins` for `break_minutes`): reported, so a misspelt optional column is not
   * read as absent unsaid; absent when none.
   */
  similarColumns?: { mapped: string; found: string }[];
  ingestedAt: string;
  seconds: number;
}

export type ExportedAtSource = 'column' | 'title_line' | 'metadata' | 'file_name' | 'modified_time';
