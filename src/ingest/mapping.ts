/**
 * Source mappings (DESIGN §3.3): a rostering system is described by one JSON file in the
 * mappings folder (`mappings/<name>.json`), not by code. This module is the schema of those
 * files (zod), the loader with precise messages, and the canonical fields a mapping can fill.
 * docs/mappings.md is the reference for people writing one.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ExportKind } from '../curated/ingest-manifest.js';
import { ConfigError } from '../errors.js';
import { parseCsv } from '../reference/csv.js';

/** How a field's text is read. */
export type FieldType = 'text' | 'date' | 'time' | 'timestamp' | 'number' | 'boolean';

export interface FieldDef {
  type: FieldType;
  /** Formats (timestamps) or units (numbers) the mapping may choose; the first is the default. */
  options?: readonly string[];
  /** Numbers: multiply a value in this unit by the factor to get the canonical unit. */
  factors?: Readonly<Record<string, number>>;
  /**
   * Numbers: the largest plausible value in the canonical unit (larger, or not finite, is rejected
   * as `out_of_range`), and the allowed range as a coordinator reads it in that message.
   */
  max?: number;
  range?: string;
}

export const TIMESTAMP_FORMATS = ['auto', 'unix_seconds', 'excel_serial'] as const;

/** The fields of a canonical shift a mapping can fill, and how each is read. */
export const SHIFT_FIELDS = {
  shift_id: { type: 'text' },
  practice_code: { type: 'text' },
  network_code: { type: 'text' },
  role: { type: 'text' },
  engagement: { type: 'text' },
  arrs_funded: { type: 'boolean' },
  person_id: { type: 'text' },
  date: { type: 'date' },
  end_date: { type: 'date' },
  start_time: { type: 'time' },
  end_time: { type: 'time' },
  start_at: { type: 'timestamp', options: TIMESTAMP_FORMATS },
  end_at: { type: 'timestamp', options: TIMESTAMP_FORMATS },
  break: {
    type: 'number',
    options: ['minutes', 'hours', 'duration', 'clock'],
    factors: { minutes: 1, hours: 60 },
    max: 1440,
    range: '0 to 1440 minutes (24 hours)',
  },
  session_type: { type: 'text' },
  delivery: { type: 'text' },
  status: { type: 'text' },
  cost: {
    type: 'number',
    options: ['pounds', 'pence'],
    factors: { pounds: 100, pence: 1 },
    max: 10_000_000,
    range: '£0 to £100,000 per shift',
  },
  published_at: { type: 'timestamp', options: TIMESTAMP_FORMATS },
  filled_at: { type: 'timestamp', options: TIMESTAMP_FORMATS },
  exported_at: { type: 'timestamp', options: TIMESTAMP_FORMATS },
} as const satisfies Record<string, FieldDef>;

/** The fields of an availability row (DESIGN §3.2). */
export const AVAILABILITY_FIELDS = {
  person_id: { type: 'text' },
  network_code: { type: 'text' },
  home_practice_code: { type: 'text' },
  role: { type: 'text' },
  engagement: { type: 'text' },
  week_start: { type: 'date' },
  session_type: { type: 'text' },
  available_hours: {
    type: 'number',
    options: ['hours', 'minutes'],
    factors: { hours: 1, minutes: 1 / 60 },
    // Above 168 is rejected as too_long (queries/ingest/availability.sql); here only non-finite.
    range: '0 to 168 hours',
  },
  exported_at: { type: 'timestamp', options: TIMESTAMP_FORMATS },
} as const satisfies Record<string, FieldDef>;

/** Fields every row must give (empty -> reject `missing_field`), besides the timing fields. */
export const REQUIRED_FIELDS: Record<ExportKind, readonly string[]> = {
  shifts: ['shift_id', 'practice_code', 'role', 'status'],
  availability: [
    'person_id',
    'network_code',
    'role',
    'engagement',
    'week_start',
    'available_hours',
  ],
};

const name = z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower case letters, digits and _');

const condition = z
  .object({
    column: z.string().min(1),
    equals: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    empty: z.literal(true).optional(),
  })
  .strict()
  .refine((c) => (c.equals === undefined) !== (c.empty === undefined), {
    message: 'give exactly one of "equals" or "empty": true',
  });

const fieldSpec = z
  .object({
    column: z.string().min(1).optional(),
    const: z.string().optional(),
    cases: z
      .array(z.object({ when: condition, value: z.string() }).strict())
      .min(1)
      .optional(),
    else: z.string().optional(),
    map: z.record(z.string(), z.string()).optional(),
    lookup: name.optional(),
    value: z.string().min(1).optional(),
    default: z.string().optional(),
    /**
     * The value when the export's cell is empty (null in JSON), where the column itself is read
     * through a lookup: unlike `default`, a value missing from the lookup is still rejected.
     */
    when_empty: z.string().optional(),
    /** Numbers: 0 means "not known" in this export (no pay rate set), so it reads as empty. */
    zero_is_unknown: z.boolean().optional(),
    format: z.string().optional(),
    unit: z.string().optional(),
    /**
     * The export may leave this field's column(s) out (then the field is empty on every row).
     * Without it, a column the mapping names that the file lacks fails the file, so a misspelt
     * column name is never read as "no value".
     */
    optional: z.boolean().optional(),
    /** Numbers: the decimal mark the export writes (docs/mappings.md, "Numbers"). */
    decimal: z.enum(['.', ',']).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const kinds = [f.column, f.const, f.cases].filter((k) => k !== undefined).length;
    if (kinds !== 1) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of "column", "const" or "cases"' });
    }
    if (f.else !== undefined && f.cases === undefined) {
      ctx.addIssue({ code: 'custom', message: '"else" only goes with "cases"' });
    }
    if ((f.lookup === undefined) !== (f.value === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: '"lookup" and "value" go together: the lookup table and its column to use',
      });
    }
    if (f.lookup !== undefined && f.column === undefined) {
      ctx.addIssue({ code: 'custom', message: '"lookup" needs "column" (the key to look up)' });
    }
    if (f.lookup !== undefined && f.map !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'use either "map" or "lookup", not both' });
    }
    if (f.when_empty !== undefined && f.column === undefined) {
      ctx.addIssue({ code: 'custom', message: '"when_empty" goes with "column"' });
    }
    if (f.optional !== undefined && f.const !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: '"optional" goes with "column" or "cases", not "const"',
      });
    }
  });

export type FieldSpec = z.infer<typeof fieldSpec>;

const formats = z
  .object({
    csv: z
      .object({
        delimiter: z.string().length(1).optional(),
        encoding: z.enum(['auto', 'utf-8', 'windows-1252']).default('auto'),
      })
      .strict()
      .optional(),
    xlsx: z
      .object({
        /** Sheet name; default the first sheet. */
        sheet: z.string().min(1).optional(),
        /** 1-based row of the header; default: the first row naming every required column. */
        header_row: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    json: z
      .object({
        /** Dotted path to the array inside an envelope object (`data.shifts`); default: the top level. */
        path: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((f) => f.csv || f.xlsx || f.json, { message: 'name at least one of csv, xlsx, json' });

export type Formats = z.infer<typeof formats>;

/**
 * Where a file says when it was exported, when its rows do not (docs/mappings.md, "Export
 * time"): a title line above the header (CSV lines, XLSX rows) matching a pattern with one
 * `{...}` date-time format, and/or a JSON envelope's field at a dotted path.
 */
const fileExportedAt = z
  .object({
    title_line: z
      .string()
      .regex(
        /^[^{}]*\{[^{}]+\}[^{}]*$/,
        'give one {...} date-time format, e.g. "Exported {dd/MM/yyyy HH:mm}"',
      )
      .optional(),
    json_path: z.string().min(1).optional(),
    format: z.enum(['auto', 'unix_seconds']).optional(),
  })
  .strict()
  .refine((e) => e.title_line !== undefined || e.json_path !== undefined, {
    message: 'give "title_line", "json_path" or both',
  });

export type FileFormat = keyof Formats;

function kindSchema(fields: Record<string, FieldDef>) {
  return z
    .object({
      formats,
      fields: z.record(z.string(), fieldSpec).superRefine((given, ctx) => {
        for (const [field, spec] of Object.entries(given)) {
          const def = fields[field];
          if (!def) {
            ctx.addIssue({
              code: 'custom',
              path: [field],
              message: `unknown field; fields are ${Object.keys(fields).join(', ')}`,
            });
            continue;
          }
          const choice = def.type === 'number' ? spec.unit : spec.format;
          const other = def.type === 'number' ? spec.format : spec.unit;
          if (other !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [field],
              message: `"${def.type === 'number' ? 'format' : 'unit'}" does not apply to this field`,
            });
          }
          if (spec.zero_is_unknown !== undefined && def.type !== 'number') {
            ctx.addIssue({
              code: 'custom',
              path: [field],
              message:
                '"zero_is_unknown" only applies to number fields (break, cost, available_hours)',
            });
          }
          if (
            spec.decimal !== undefined &&
            (def.type !== 'number' || choice === 'duration' || choice === 'clock')
          ) {
            ctx.addIssue({
              code: 'custom',
              path: [field],
              message:
                def.type === 'number'
                  ? '"decimal" does not apply to a duration (H:MM)'
                  : '"decimal" only applies to number fields (break, cost, available_hours)',
            });
          }
          if (choice !== undefined && !def.options?.includes(choice)) {
            ctx.addIssue({
              code: 'custom',
              path: [field],
              message: def.options
                ? `"${choice}" is not one of ${def.options.join(', ')}`
                : `this field takes no ${def.type === 'number' ? 'unit' : 'format'}`,
            });
          }
        }
      }),
      /** Source columns that may hold names or other personal data: never copied into rejects. */
      private_columns: z.array(z.string().min(1)).default([]),
      /**
       * Other source columns holding person ids (a payroll or registration number beside the id
       * the mapping reads): in rejects they are kept only as pseudonyms, like person_id's own.
       */
      person_columns: z.array(z.string().min(1)).default([]),
      /** The file's own export time, when its rows give none (fields.exported_at). */
      exported_at: fileExportedAt.optional(),
    })
    .strict();
}

const mappingSchema = z
  .object({
    $schema: z.string().optional(),
    name,
    description: z.string().min(1),
    lookups: z
      .record(
        name,
        z
          .object({
            /** CSV file, relative to the mapping file. */
            file: z.string().min(1),
            /** The column holding the source system's value (matched trimmed, ignoring case). */
            key: z.string().min(1),
          })
          .strict(),
      )
      .default({}),
    shifts: kindSchema(SHIFT_FIELDS).optional(),
    availability: kindSchema(AVAILABILITY_FIELDS).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (!m.shifts && !m.availability) {
      ctx.addIssue({ code: 'custom', message: 'describe "shifts", "availability" or both' });
    }
    const f = m.shifts?.fields;
    if (f) {
      const byDate = f.date && f.start_time && f.end_time;
      const byInstant = f.start_at && f.end_at;
      if (!byDate === !byInstant) {
        ctx.addIssue({
          code: 'custom',
          path: ['shifts', 'fields'],
          message:
            'give the shift times either as date + start_time + end_time (end_date optional) or as start_at + end_at, not both',
        });
      }
      if (f.end_date && !byDate) {
        ctx.addIssue({
          code: 'custom',
          path: ['shifts', 'fields', 'end_date'],
          message: 'end_date goes with date + start_time + end_time',
        });
      }
    }
    for (const kind of ['shifts', 'availability'] as const) {
      const fields = m[kind]?.fields;
      if (!fields) continue;
      for (const field of REQUIRED_FIELDS[kind]) {
        if (!fields[field] && !(kind === 'shifts' && field === 'shift_id')) {
          ctx.addIssue({ code: 'custom', path: [kind, 'fields', field], message: 'is required' });
        }
      }
      const timing =
        kind === 'shifts' ? ['date', 'start_time', 'end_time', 'start_at', 'end_at'] : [];
      for (const field of [...REQUIRED_FIELDS[kind], ...timing]) {
        if (fields[field]?.optional) {
          ctx.addIssue({
            code: 'custom',
            path: [kind, 'fields', field, 'optional'],
            message: 'every row needs this field, so its column cannot be optional',
          });
        }
      }
      for (const [field, spec] of Object.entries(fields)) {
        if (spec.lookup && !m.lookups[spec.lookup]) {
          ctx.addIssue({
            code: 'custom',
            path: [kind, 'fields', field, 'lookup'],
            message: `no lookup named "${spec.lookup}" in "lookups"`,
          });
        }
      }
    }
  });

type ParsedMapping = z.infer<typeof mappingSchema>;
export type KindMapping = NonNullable<ParsedMapping['shifts']>;

/** A lookup table: source value (trimmed, lower case) -> its columns. */
export interface Lookup {
  name: string;
  file: string;
  columns: string[];
  /** Rows keyed by the normalised source value; values in `columns` order. */
  rows: Map<string, string[]>;
}

export interface SourceMapping extends Omit<ParsedMapping, 'lookups'> {
  file: string;
  lookups: Record<string, Lookup>;
}

export function normaliseLookupKey(value: string): string {
  return value.trim().toLowerCase();
}

/** Where a mapping's format comes from: the export's file extension. */
export function formatOfFile(fileName: string): FileFormat | undefined {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.json') return 'json';
  return undefined;
}

function describeIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const at = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `  ${at}: ${issue.message}`;
  });
  return `Mapping ${file} is not valid:\n${lines.join('\n')}`;
}

/** Parse and check a mapping from its JSON text (no lookups loaded). */
export function parseMapping(file: string, text: string): ParsedMapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Mapping ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(describeIssues(file, parsed.error));
  if (parsed.data.name !== path.basename(file, '.json')) {
    throw new ConfigError(
      `Mapping ${file} is named "${parsed.data.name}"; the file must be ${parsed.data.name}.json`,
    );
  }
  return parsed.data;
}

async function loadLookup(
  mappingFile: string,
  lookupName: string,
  spec: { file: string; key: string },
  usedColumns: Set<string>,
): Promise<Lookup> {
  const file = path.resolve(path.dirname(mappingFile), spec.file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Mapping ${mappingFile}: lookup "${lookupName}" file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = records[0]?.map((c) => c.trim()) ?? [];
  const keyIndex = header.indexOf(spec.key);
  if (keyIndex < 0) {
    throw new ConfigError(
      `Mapping ${mappingFile}: lookup "${lookupName}" (${file}) has no key column "${spec.key}" (columns: ${header.join(', ')})`,
    );
  }
  for (const column of usedColumns) {
    if (!header.includes(column)) {
      throw new ConfigError(
        `Mapping ${mappingFile}: lookup "${lookupName}" (${file}) has no column "${column}" (columns: ${header.join(', ')})`,
      );
    }
  }
  const rows = new Map<string, string[]>();
  records.slice(1).forEach((record, index) => {
    if (record.every((cell) => cell.trim() === '')) return;
    const key = normaliseLookupKey(record[keyIndex] ?? '');
    if (rows.has(key)) {
      throw new ConfigError(
        `Mapping ${mappingFile}: lookup "${lookupName}" (${file}) lists "${record[keyIndex]}" twice (line ${index + 2})`,
      );
    }
    rows.set(
      key,
      header.map((_, i) => (record[i] ?? '').trim()),
    );
  });
  return { name: lookupName, file, columns: header, rows };
}

/** Load `<dir>/<name>.json` and its lookup tables, or fail with a ConfigError saying why. */
export async function loadMapping(dir: string, mappingName: string): Promise<SourceMapping> {
  const file = path.join(dir, `${mappingName}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError(`No mapping for source system "${mappingName}": ${file} not found`);
    }
    throw error;
  }
  const parsed = parseMapping(file, text);
  const used = new Map<string, Set<string>>();
  for (const kind of [parsed.shifts, parsed.availability]) {
    for (const spec of Object.values(kind?.fields ?? {})) {
      if (spec.lookup && spec.value) {
        const set = used.get(spec.lookup) ?? new Set<string>();
        set.add(spec.value);
        used.set(spec.lookup, set);
      }
    }
  }
  const lookups: Record<string, Lookup> = {};
  for (const [lookupName, spec] of Object.entries(parsed.lookups)) {
    lookups[lookupName] = await loadLookup(
      file,
      lookupName,
      spec,
      used.get(lookupName) ?? new Set(),
    );
  }
  return { ...parsed, file, lookups };
}

/** Caches mappings by name for one ingest run. */
export class MappingRegistry {
  private readonly loaded = new Map<string, Promise<SourceMapping>>();

  constructor(readonly dir: string) {}

  get(mappingName: string): Promise<SourceMapping> {
    let mapping = this.loaded.get(mappingName);
    if (!mapping) {
      mapping = loadMapping(this.dir, mappingName);
      this.loaded.set(mappingName, mapping);
    }
    return mapping;
  }
}
