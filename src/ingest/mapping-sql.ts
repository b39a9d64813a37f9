/**
 * Compiles a source mapping into the SQL that stages a batch of exports: a `staged` view over
 * `batch_rows` (the exports' own columns, all text, plus `file_id`, the file's place in the batch,
 * and `source_row`, its row in that file; src/ingest/ingest-batch.ts) with one typed column per canonical
 * field, its source text beside it (`<field>__raw`), and the first problem found while reading
 * the row (`stage_reason`, `stage_field`, `stage_value`, `stage_detail`). The checks that are
 * the same for every source (known practice, valid status, hours > 0, ...) then run in
 * queries/ingest/<kind>.sql over `staged`. Everything here is text generation; DuckDB does the
 * work, for all rows at once.
 */

import type { ExportKind } from '../curated/ingest-manifest.js';
import { sqlString } from '../engine/duckdb-engine.js';
import {
  AVAILABILITY_FIELDS,
  type FieldDef,
  type FieldSpec,
  type FieldType,
  type KindMapping,
  REQUIRED_FIELDS,
  SHIFT_FIELDS,
  type SourceMapping,
} from './mapping.js';

/**
 * A case's `equals` test on a trimmed cell, ignoring case. "true" or "false" there matches every
 * spelling of that boolean parse_boolean (queries/ingest/functions.sql) reads, through that
 * macro: a JSON export with 1 and 0 for its flags (`deleted: 1`) means what true and false do.
 */
function caseEquals(src: string, values: readonly string[]): string {
  const wanted = values.map((v) => v.trim().toLowerCase());
  const texts = wanted.filter((v) => v !== 'true' && v !== 'false');
  const tests = [
    ...(texts.length > 0 ? [`lower(${src}) in (${texts.map(sqlString).join(', ')})`] : []),
    ...(['true', 'false'] as const)
      .filter((b) => wanted.includes(b))
      .map((b) => `parse_boolean(${src}) is ${b}`),
  ];
  return tests.length > 0 ? `(${tests.join(' or ')})` : 'false';
}

export const FIELDS: Record<ExportKind, Record<string, FieldDef>> = {
  shifts: SHIFT_FIELDS,
  availability: AVAILABILITY_FIELDS,
};

/** What a timestamp in a declared format looks like, for a reject's message. */
const TIMESTAMP_HINTS: Record<string, string> = {
  unix_seconds: 'seconds since 1970 (Unix time), e.g. 1794816000, not milliseconds',
  excel_serial: 'an Excel date-time serial number, e.g. 46344.375',
};

/** The reject reason when a field's text cannot be read as its type. */
const BAD_REASON: Record<Exclude<FieldType, 'text'>, string> = {
  date: 'bad_date',
  time: 'bad_time',
  timestamp: 'bad_timestamp',
  number: 'bad_number',
  boolean: 'bad_boolean',
};

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function lookupTableName(mapping: string, lookup: string): string {
  return `lookup_${mapping}_${lookup}`;
}

/**
 * Columns of the export the mapping reads: `required` ones hold fields every row needs; every
 * file must also have the `expected` ones (named by a field not marked `"optional": true`), so a
 * misspelt column fails the file instead of reading as empty. A column named by an optional
 * field and by another field is expected.
 */
export function referencedColumns(kind: ExportKind, mapping: KindMapping) {
  const all = new Set<string>();
  const required = new Set<string>();
  const expected = new Set<string>();
  const mandatory = new Set([...REQUIRED_FIELDS[kind], ...timingFields(kind, mapping)]);
  for (const [field, spec] of Object.entries(mapping.fields)) {
    const columns = specColumns(spec);
    for (const c of columns) {
      all.add(c);
      if (mandatory.has(field)) required.add(c);
      else if (!spec.optional) expected.add(c);
    }
  }
  for (const c of required) expected.delete(c);
  return { all: [...all], required: [...required], expected: [...expected] };
}

function timingFields(kind: ExportKind, mapping: KindMapping): string[] {
  if (kind !== 'shifts') return [];
  return mapping.fields.start_at ? ['start_at', 'end_at'] : ['date', 'start_time', 'end_time'];
}

/** The export's columns a field reads: its column, or the columns its cases test. */
export function specColumns(spec: FieldSpec): string[] {
  if (spec.column !== undefined) return [spec.column];
  return (spec.cases ?? []).map((c) => c.when.column);
}

/** The name a coordinator sees for a field in messages: the export's own column name(s). */
export function fieldLabel(mapping: KindMapping, field: string): string {
  const spec = mapping.fields[field];
  if (!spec) return field;
  if (spec.column !== undefined) return spec.column;
  if (spec.cases) return [...new Set(specColumns(spec))].join('/');
  return field;
}

interface Compiled {
  /** Text before typing: the value after map/lookup/default/const/cases. */
  value: string;
  /** The source text as exported (for messages), or the value when not from one column. */
  raw: string;
  /** Condition true when the field is empty in the export (and has no default). */
  missing: string;
  /** Condition true when a lookup found no row for the source value. */
  lookupMiss: string | undefined;
  join: string | undefined;
  /** `value` is a source cell as source() gives it: already trimmed, or NULL. */
  trimmed?: boolean;
}

export class StagingCompiler {
  private readonly columns: Map<string, string>;

  constructor(
    private readonly mapping: SourceMapping,
    private readonly kind: ExportKind,
    /** The export's header: lower-cased trimmed name -> the name as it appears. */
    headerColumns: Map<string, string>,
    /** A reader left malformed rows in `batch_malformed` (file_id, source_row, detail). */
    private readonly hasMalformed = false,
  ) {
    this.columns = headerColumns;
  }

  private get kindMapping(): KindMapping {
    const m = this.mapping[this.kind];
    if (!m) throw new Error(`mapping ${this.mapping.name} has no ${this.kind}`);
    return m;
  }

  /** Other columns of the file that are `column` again: `<column>_2`, `_3` (uniqueColumnNames). */
  private copiesOf(column: string): string[] {
    const lower = column.trim().toLowerCase();
    return [...this.columns.entries()]
      .filter(([key]) => key.startsWith(`${lower}_`) && /^\d+$/.test(key.slice(lower.length + 1)))
      .map(([, name]) => name);
  }

  /** SQL for the trimmed text of a source column, NULL when empty or when the file lacks it. */
  private source(column: string): string {
    const actual = this.columns.get(column.trim().toLowerCase());
    return actual ? `nullif(trim(r.${quoteIdent(actual)}), '')` : 'cast(null as varchar)';
  }

  private compileField(field: string, spec: FieldSpec): Compiled {
    if (spec.const !== undefined) {
      const value = sqlString(spec.const);
      return { value, raw: value, missing: 'false', lookupMiss: undefined, join: undefined };
    }
    if (spec.cases) {
      const whens = spec.cases.map(({ when, value: result }) => {
        const src = this.source(when.column);
        const test = when.empty ? `${src} is null` : caseEquals(src, [when.equals ?? []].flat());
        return `when ${test} then ${sqlString(result)}`;
      });
      const otherwise = spec.else === undefined ? '' : ` else ${sqlString(spec.else)}`;
      const value = `(case ${whens.join(' ')}${otherwise} end)`;
      return {
        value,
        raw: value,
        missing: `${value} is null`,
        lookupMiss: undefined,
        join: undefined,
      };
    }
    const src = this.source(spec.column as string);
    const fallback = spec.default === undefined ? undefined : sqlString(spec.default);
    let value = src;
    if (spec.zero_is_unknown) {
      // 0 means "not known" here (Deputy's Cost without a pay rate): empty, not a real 0.
      value = `(case when ${NUMBER_PARSER[spec.decimal ?? '.']}(${src}) = 0 then null else ${src} end)`;
    }
    let lookupMiss: string | undefined;
    let join: string | undefined;
    if (spec.map) {
      const arms = Object.entries(spec.map).map(
        ([from, to]) => `when ${sqlString(from.trim().toLowerCase())} then ${sqlString(to)}`,
      );
      value = `(case lower(${src}) ${arms.join(' ')} else ${src} end)`;
    }
    if (spec.lookup && spec.value) {
      const alias = `lk_${field}`;
      join = `left join ${lookupTableName(this.mapping.name, spec.lookup)} as ${alias} on ${alias}.__key = lower(${src})`;
      value = `nullif(${alias}.${quoteIdent(spec.value)}, '')`;
      if (fallback === undefined) lookupMiss = `${src} is not null and ${alias}.__key is null`;
    }
    if (fallback !== undefined) value = `coalesce(${value}, ${fallback})`;
    if (spec.when_empty !== undefined) {
      // Only an empty cell gets it; a value the lookup lacks is still unmapped_value.
      value = `(case when ${src} is null then ${sqlString(spec.when_empty)} else ${value} end)`;
    }
    return {
      value,
      raw: src,
      missing: fallback === undefined && spec.when_empty === undefined ? `${src} is null` : 'false',
      lookupMiss,
      join,
      trimmed: value === src,
    };
  }

  /**
   * The field's typed value. The parse_* macros take trimmed text (queries/ingest/functions.sql):
   * a source cell already is; a mapped, looked-up, default or constant value is trimmed here.
   * The number parsers read surrounding spaces themselves.
   */
  private typed(field: string, spec: FieldSpec, compiled: Compiled): string {
    const def: FieldDef = FIELDS[this.kind][field] ?? { type: 'text' };
    const choice = (def.type === 'number' ? spec.unit : spec.format) ?? def.options?.[0];
    const value = compiled.trimmed ? compiled.value : `trim(${compiled.value})`;
    switch (def.type) {
      case 'text':
        // Invisible characters must not make one shift two (normalise_shift_id).
        return field === 'shift_id' ? `normalise_shift_id(${compiled.value})` : compiled.value;
      case 'date':
        return `parse_date(${value})`;
      case 'time': {
        // A date-time in a time column (a spreadsheet's date-time cell) is its clock part when
        // its date is Excel's day 0 or 1 or the row's own date (parse_time_of).
        const fields = this.kindMapping.fields;
        const day = fields.date?.column;
        if (day === undefined) return `parse_time(${value})`;
        const sameDay = `parse_time_of(${value}, ${this.source(day)})`;
        const start = fields.start_time?.column;
        if (field !== 'end_time' || start === undefined) return sameDay;
        // An end on the next day before the start's clock is an overnight end
        // (parse_end_time_of), unless the row gives the end's date.
        const nextDay = `parse_end_time_of(${value}, ${this.source(day)}, ${this.source(start)})`;
        const endDate = fields.end_date?.column;
        return endDate === undefined
          ? nextDay
          : `(case when ${this.source(endDate)} is null then ${nextDay} else ${sameDay} end)`;
      }
      case 'boolean':
        return `parse_boolean(${value})`;
      case 'timestamp':
        if (choice === 'unix_seconds') return `parse_unix_seconds(${value})`;
        if (choice === 'excel_serial') return `parse_excel_timestamp(${value})`;
        return `parse_timestamp(${value})`;
      case 'number': {
        if (choice === 'duration') return `parse_duration_minutes(${value})`;
        if (choice === 'clock') return `parse_clock_minutes(${value})`;
        const factor = choice ? def.factors?.[choice] : undefined;
        const parsed = `${NUMBER_PARSER[spec.decimal ?? '.']}(${compiled.value})`;
        if (factor === undefined || factor === 1) return parsed;
        // Scaled as the decimal the text is: £1.005 is the double 1.00499999..., which times 100
        // is 100.4999... and rounded to the penny 100, not 101 (a JSON or spreadsheet cost). An
        // amount written with a few decimals, times a whole factor, is exact at six places.
        return Number.isInteger(factor)
          ? `round(${parsed} * ${factor}, 6)`
          : `(${parsed} * ${factor})`;
      }
    }
  }

  /**
   * `staged`: per canonical field `<field>__raw` (source text), `<field>__text` (after map,
   * lookup, default) and `<field>` (typed; numbers in the canonical unit), plus the first
   * problem found reading the row.
   *
   * `staged_fields` is always a view, read only by `staged`. `staged` is a view by default; with
   * `materialise`, a temp table. The rows are the same either way. A table is faster for small
   * files: the mapping's expressions are planned and evaluated once, where over views every query
   * that reads `staged` (the person ids, the checks) plans and evaluates them again, and planning
   * is most of a small file's time (materialising `staged_fields` as well cost a third more
   * staging time for nothing). Views keep a large file streaming into `mapped` without another
   * copy of it in memory. The caller drops the other kind first (dropRelations in ingest-batch.ts).
   */
  stagedViewSql(options: { materialise?: boolean } = {}): string {
    const relation = options.materialise ? 'table' : 'view';
    const mapping = this.kindMapping;
    const fields = FIELDS[this.kind];
    const mandatory = new Set([...REQUIRED_FIELDS[this.kind], ...timingFields(this.kind, mapping)]);
    const selects: string[] = [];
    const joins: string[] = [];
    /** A required field's label -> when it is missing (one or more fields). */
    const missing = new Map<string, string[]>();
    const oversized: { length: string; arm: string }[] = [];
    const problems: string[] = [];
    const badProblems: string[] = [];
    /**
     * Date and date-time fields: a value of each that can only be month first, per file; any of
     * them makes the whole file month first (file_month_first, ambiguous_date).
     */
    const monthFirst: string[] = [];
    /**
     * Number fields by the decimal mark they are read with: per value, its text when it reads
     * only with the other mark (12,50 with "."), for the file's evidence (DECIMAL_EVIDENCE).
     */
    const otherDecimal: Record<'.' | ',', string[]> = { '.': [], ',': [] };
    for (const [field, def] of Object.entries(fields)) {
      const spec = mapping.fields[field];
      if (!spec) {
        selects.push(
          `cast(null as varchar) as ${field}__raw`,
          `cast(null as varchar) as ${field}__text`,
          `cast(null as ${SQL_TYPE[def.type]}) as ${field}`,
        );
        continue;
      }
      const c = this.compileField(field, spec);
      if (c.join) joins.push(c.join);
      const typed = this.typed(field, spec, c);
      selects.push(
        `${c.raw} as ${field}__raw`,
        `${c.value} as ${field}__text`,
        `${typed} as ${field}`,
      );
      if (mandatory.has(field)) {
        // Fields read from one column (practice and role from Deputy's OperationalUnit) are
        // named once: "OperationalUnit is empty", not "OperationalUnit, OperationalUnit are".
        const label = fieldLabel(mapping, field);
        missing.set(label, [...(missing.get(label) ?? []), c.missing]);
      }
      const actual = spec.column && this.columns.get(spec.column.trim().toLowerCase());
      if (actual) {
        // A giant cell (a pasted document, a runaway quote) is never a real id, code or time.
        const cell = `r.${quoteIdent(actual)}`;
        oversized.push({
          length: `length(${cell})`,
          arm: `when length(${cell}) > ${MAX_VALUE_LENGTH} then ${problem('value_too_long', field, `left(trim(${cell}), 40) || '...'`)}`,
        });
      }
      // The column given twice (`cost_gbp` and `Cost_GBP`: the reader names the second
      // `Cost_GBP_2`): the copies must agree, or the row is not read from one of them unsaid.
      for (const copy of actual ? this.copiesOf(actual) : []) {
        const shown = copy.replace(/_\d+$/, '');
        problems.push(
          `when nullif(trim(r.${quoteIdent(actual as string)}), '') is distinct from nullif(trim(r.${quoteIdent(copy)}), '') then ${problem('malformed_row', field, 'cast(null as varchar)', sqlString(`the file has the column ${actual} twice (also as ${shown}), with different values in this row; remove one`))}`,
        );
      }
      if (c.lookupMiss) {
        problems.push(
          `when ${c.lookupMiss} then ${problem('unmapped_value', field, `${field}__raw`)}`,
        );
      }
      if (def.type === 'number' && spec.unit !== 'duration' && spec.unit !== 'clock') {
        // Not a number in the declared form: ambiguous when it reads in the other decimal form
        // (12,34 with "."; 1,234.50 with ","); infinite (a JSON 1e309 arrives as "Infinity") is
        // out of range; anything else (NaN, 1_000, 0x10) is simply not a number.
        const decimal = spec.decimal ?? '.';
        const other = NUMBER_PARSER[decimal === '.' ? ',' : '.'];
        const text = `${field}__text`;
        if ((spec.unit ?? def.options?.[0]) === 'pounds') {
          // Money has pence, not thousandths: '1.234' (or '1,234' with a decimal comma) is a
          // thousands separator written without a decimal part, so it is not read as £1.23.
          const mark = decimal === '.' ? '\\.' : ',';
          badProblems.push(
            `when regexp_full_match(${text}, '\\s*[+-]?£?\\s*\\d{1,3}${mark}\\d{3}\\s*') then ${problem('ambiguous_number', field, text, sqlString(decimal))}`,
          );
        }
        badProblems.push(
          `when ${text} is not null and ${field} is null then (case when ${other}(${text}) is not null then ${problem('ambiguous_number', field, text, sqlString(decimal))} when regexp_full_match(lower(${text}), '\\s*[+-]?(inf|infinity)\\s*') then ${problem('out_of_range', field, text, sqlString(def.range ?? ''))} else ${problem('bad_number', field, text)} end)`,
        );
        // A value that reads both ways (1,500: fifteen hundred, or 1.5 with a decimal comma) in
        // a file that writes the other mark as its decimal one elsewhere (12,50 in any number
        // column: DECIMAL_EVIDENCE) is not read with the mapping's mark against that evidence.
        // Only a value holding the other mark pays for the second parse.
        const evidence = DECIMAL_EVIDENCE[decimal];
        const otherMark = decimal === '.' ? ',' : '.';
        otherDecimal[decimal].push(
          `case when contains(${text}, '${otherMark}') and ${field} is null and ${other}(${text}) is not null then ${text} end`,
        );
        badProblems.push(
          `when ${evidence} is not null and contains(${text}, '${otherMark}') and ${field} is not null and ${other}(${text}) is not null then ${problem('ambiguous_number', field, text, `'"' || ${evidence} || '"'`)}`,
        );
      } else if (def.type !== 'text') {
        // A timestamp read in a declared form says which, for the message's hint.
        const format = def.type === 'timestamp' ? (spec.format ?? def.options?.[0]) : undefined;
        if (def.type === 'date' || (def.type === 'timestamp' && (format ?? 'auto') === 'auto')) {
          // Day first is the rule (11/02/2026 is 11 February), but a file that also writes
          // 11/13/2026, in any of its date or date-time columns, writes month first: there its
          // dates and date-times that read both ways are not guessed (an audit's US-order file
          // had published_at 10/20/2026 and dates 11/02/2026 to 11/06/2026 read as 11 Feb-Jun).
          monthFirst.push(field);
          badProblems.push(
            `when file_month_first is not null and ${field} is not null and regexp_full_match(${field}__text, '\\d{1,2}/\\d{1,2}/\\d{2,4}([ T].*)?') and cast(split_part(${field}__text, '/', 1) as integer) <> cast(split_part(${field}__text, '/', 2) as integer) then ${problem('ambiguous_date', field, `${field}__text`, `'"' || file_month_first || '"'`)}`,
          );
        }
        if (def.type === 'time') {
          // A time with no am/pm, 1:00 to 11:59, in a file whose times look like a 12-hour
          // clock and never like a 24-hour one (clockEvidence): morning or afternoon is not
          // guessed (an audit's 9:00 to 5:00 day shift was read as 20 hours overnight).
          badProblems.push(
            `when file_clock is not null and file_clock <> '~' and ${ambiguousClock(field)} then ${problem('ambiguous_time', field, `${field}__text`, 'file_clock')}`,
          );
        }
        if (def.type === 'time' && mapping.fields.date?.column !== undefined) {
          // A date-time on another day says so, rather than "not a time (use HH:MM)".
          const day = `'the row''s date (' || coalesce(cast(date as varchar), '?') || ')'`;
          const sameDay = `'not ' || ${day}`;
          const detail =
            field === 'end_time' && mapping.fields.start_time
              ? `(case when end_date is null then 'neither ' || ${day} || ' nor the next day before the start''s time (an overnight shift''s end)' else ${sameDay} end)`
              : sameDay;
          badProblems.push(
            `when ${field}__text is not null and ${field} is null and regexp_full_match(${field}__text, '\\d{4}-\\d{2}-\\d{2}([ T]\\d{1,2}:\\d{2}(:\\d{2})?)?') then ${problem('bad_time', field, `${field}__text`, detail)}`,
          );
        }
        const hint = format && format !== 'auto' ? TIMESTAMP_HINTS[format] : undefined;
        badProblems.push(
          `when ${field}__text is not null and ${field} is null then ${problem(BAD_REASON[def.type], field, `${field}__text`, hint ? sqlString(hint) : undefined)}`,
        );
      }
      if (def.type === 'number') {
        // Too large (or infinite) to be real, before any integer cast sees it.
        const max = def.max !== undefined ? ` or ${field} > ${def.max}` : '';
        const range = def.range ?? '';
        badProblems.push(
          `when isinf(${field})${max} then ${problem('out_of_range', field, `${field}__text`, sqlString(range))}`,
        );
      }
    }
    if (oversized.length > 0) {
      // One cheap test per row; the per-column search runs only for the rare oversized row.
      problems.unshift(
        `when greatest(${oversized.map((o) => o.length).join(', ')}) > ${MAX_VALUE_LENGTH} then (case ${oversized.map((o) => o.arm).join(' ')} end)`,
      );
    }
    // A source without shift ids gets a deterministic one from what identifies the shift; the
    // occurrence number keeps two identical open sessions apart.
    const identity =
      'practice_code__text, role__text, date, start_time, end_time, end_date, start_at, end_at';
    const generatedId =
      this.kind === 'shifts' && !mapping.fields.shift_id
        ? `\n  'h' || left(sha256(concat_ws('|', ${identity
            .split(', ')
            .map((c) => `cast(${c} as varchar)`)
            .join(
              ', ',
            )}, cast(row_number() over (partition by file_id, ${identity} order by source_row) as varchar))), 23) as shift_id,`
        : '';
    let missingList =
      missing.size > 0
        ? `nullif(concat_ws(', ', ${[...missing]
            .map(([label, when]) => `case when ${when.join(' or ')} then ${sqlString(label)} end`)
            .join(', ')}), '')`
        : 'cast(null as varchar)';
    // A malformed row (read-export.ts) is that and nothing else: its cells are all empty.
    if (this.hasMalformed) {
      joins.push(
        'left join batch_malformed as malformed on malformed.file_id = r.file_id and malformed.source_row = r.source_row',
      );
      missingList = `case when malformed.source_row is null then ${missingList} end`;
      selects.push('malformed.detail as malformed_detail');
    }
    const clock = this.kind === 'shifts' && mapping.fields.start_time ? clockEvidence() : '';
    const decimals = (['.', ','] as const).filter((d) => otherDecimal[d].length > 0);
    /** Per file: the evidence of its decimal marks and of its clock, and their columns. */
    const windows = [
      ...decimals.map(
        (d) =>
          `max(coalesce(${otherDecimal[d].join(', ')})) over (partition by file_id) as ${DECIMAL_EVIDENCE[d]}`,
      ),
      ...(clock ? [clock] : []),
    ];
    const windowColumns = [
      ...decimals.map((d) => DECIMAL_EVIDENCE[d]),
      ...(clock ? ['file_clock'] : []),
    ];
    // Lookup misses are decided on the joined columns, so they are checked in the first view;
    // type problems on the typed columns, in the second.
    return `create or replace temp view staged_fields as
select r.file_id, r.source_row,
  ${selects.join(',\n  ')},
  ${problems.length > 0 ? `case ${problems.join(' ')} end` : `cast(null as ${PROBLEM_TYPE})`} as lookup_problem,
  ${missingList} as missing_fields
from batch_rows as r
${joins.join('\n')};

create or replace temp ${relation} staged as
with w as (
  select *${monthFirst
    .map(
      (f) =>
        `,
    max(case when contains(${f}__text, '/') and regexp_full_match(${f}__text, '\\d{1,2}/(1[3-9]|2\\d|3[01])/\\d{2,4}([ T].*)?') then ${f}__text end) over (partition by file_id) as ${f}__month_first`,
    )
    .join('')}${windows.map((w) => `,\n    ${w}`).join('')}
  from staged_fields
),
wf as (
  select *, ${monthFirst.length > 0 ? `coalesce(${monthFirst.map((f) => `${f}__month_first`).join(', ')})` : 'cast(null as varchar)'} as file_month_first
  from w
),
s as (
  select *,
    coalesce(lookup_problem, ${badProblems.length > 0 ? `case ${badProblems.join(' ')} end` : 'null'}) as problem
  from wf
)
select * exclude (lookup_problem, missing_fields, problem, file_month_first${windowColumns.map((c) => `, ${c}`).join('')}${monthFirst.map((f) => `, ${f}__month_first`).join('')}${generatedId ? ', shift_id' : ''}${this.hasMalformed ? ', malformed_detail' : ''}),${generatedId}
  ${this.hasMalformed ? "case when malformed_detail is not null then 'malformed_row' when" : 'case when'} missing_fields is not null then 'missing_field' else problem.reason end as stage_reason,
  case when missing_fields is null${this.hasMalformed ? ' and malformed_detail is null' : ''} then problem.field end as stage_field,
  case when missing_fields is null${this.hasMalformed ? ' and malformed_detail is null' : ''} then problem.value end as stage_value,
  ${this.hasMalformed ? 'coalesce(malformed_detail, missing_fields, problem.detail)' : 'coalesce(missing_fields, problem.detail)'} as stage_detail
from s;`;
  }
}

/**
 * A time field read as a clock time with no am/pm (`9:00`, `17:30`, `08:00:00`): its text is
 * short (no date-time), has a colon and no `m`/`M` (of am, pm), and it was read.
 */
function bareClock(field: string): string {
  const text = `${field}__text`;
  return `(${field} is not null and length(${text}) <= 8 and contains(${text}, ':') and not (contains(${text}, 'm') or contains(${text}, 'M')))`;
}

/** A bare clock time that is morning or afternoon on a 12-hour clock: 1:00 to 11:59. */
function ambiguousClock(field: string): string {
  return `(${bareClock(field)} and hour(${field}) between 1 and 11)`;
}

/**
 * Per file, how its shift times are written, as `file_clock` (a window column;
 * queries/ingest/shifts.sql never sees it). The design of the month-first dates: a 24-hour clock is
 * the rule, and a file that shows it (any time without am/pm from 13:00 or at 0:xx, or with a
 * two-digit hour starting 0, `08:00`, the documented HH:MM) reads as today: `file_clock` is `~`.
 * A file that shows none of that but shows a 12-hour clock (`file_clock` is then a sign of it, for
 * the message) has its times from 1:00 to 11:59 without am/pm rejected as ambiguous_time: a time
 * with am/pm, a shift ending before it starts on the clock's face (`9:00` to `5:00`, a day shift
 * on a 12-hour clock, 20 hours on a 24-hour one), or a shift starting at 1:00 to 5:59 (an
 * afternoon session `1:30` to `6:00`, not a night out of a file with no evening times). With
 * neither sign (mornings only, `8:30` to `12:30`) it is NULL, and the times read on a 24-hour
 * clock. One window aggregate: `~` sorts after every sign, so the file's max is `~` when any row
 * shows a 24-hour clock, and a row that does is not looked at for a sign.
 */
function clockEvidence(): string {
  const [start, end] = ['start_time', 'end_time'];
  const ampm = (f: string) =>
    `(${f} is not null and (contains(${f}__text, 'm') or contains(${f}__text, 'M')))`;
  const dayHour = (f: string) => `hour(${f}) between 1 and 12`;
  const hour24 = (f: string) =>
    `(${bareClock(f)} and (hour(${f}) = 0 or hour(${f}) >= 13 or starts_with(${f}__text, '0')))`;
  const sign = `case
      when ${hour24(start)} or ${hour24(end)} then '~'
      when ${ampm(start)} then 'writes "' || ${start}__text || '"'
      when ${ampm(end)} then 'writes "' || ${end}__text || '"'
      when ${bareClock(start)} and ${bareClock(end)} and end_date is null and ${end} < ${start} and ${dayHour(start)} and ${dayHour(end)}
        then 'has a shift from "' || ${start}__text || '" to "' || ${end}__text || '"'
      when ${bareClock(start)} and hour(${start}) between 1 and 5 then 'has a shift starting at "' || ${start}__text || '"'
    end`;
  return `max(${sign}) over (partition by file_id) as file_clock`;
}

/** Longest value a field may hold, in characters; longer ones are rejected as value_too_long. */
export const MAX_VALUE_LENGTH = 1000;

const PROBLEM_TYPE = 'struct(reason varchar, field varchar, value varchar, detail varchar)';

function problem(reason: string, field: string, valueColumn: string, detail?: string): string {
  return `struct_pack(reason := ${sqlString(reason)}, field := ${sqlString(field)}, value := ${valueColumn}, detail := ${detail ?? 'cast(null as varchar)'})`;
}

/**
 * Per decimal mark a mapping reads numbers with, the window column (stagedViewSql) holding a value
 * of the file, in any of its number fields read with that mark, that reads only with the other
 * mark (12,50 where "." is the decimal mark): the file's evidence that it writes the other.
 */
const DECIMAL_EVIDENCE = { '.': 'file_decimal_comma', ',': 'file_decimal_point' } as const;

/** The macro (queries/ingest/functions.sql) reading a number with each decimal mark. */
const NUMBER_PARSER = { '.': 'parse_number', ',': 'parse_number_decimal_comma' } as const;

const SQL_TYPE: Record<FieldType, string> = {
  text: 'varchar',
  date: 'date',
  time: 'time',
  timestamp: 'timestamptz',
  number: 'double',
  boolean: 'boolean',
};
