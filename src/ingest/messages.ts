/**
 * Every reject reason and the sentence a rota coordinator reads for it, in one place. Tests
 * assert these exact messages. A message names the export's own column (`label`, from the
 * source mapping) and the value found there, so the coordinator can find and fix it.
 */
export type RejectReason =
  | 'missing_field'
  | 'value_too_long'
  | 'unmapped_value'
  | 'unknown_status'
  | 'unpublished_shift'
  | 'bad_date'
  | 'not_week_start'
  | 'bad_time'
  | 'bad_number'
  | 'ambiguous_number'
  | 'ambiguous_date'
  | 'ambiguous_time'
  | 'out_of_range'
  | 'date_out_of_range'
  | 'bad_boolean'
  | 'bad_timestamp'
  | 'unknown_practice'
  | 'unknown_network'
  | 'no_network'
  | 'network_mismatch'
  | 'network_folder_mismatch'
  | 'unknown_role'
  | 'unknown_engagement'
  | 'unknown_session_type'
  | 'unknown_delivery'
  | 'missing_person'
  | 'negative_value'
  | 'non_positive_hours'
  | 'too_long'
  | 'duplicate_shift_id'
  | 'duplicate_availability'
  | 'malformed_row';

export interface RejectFacts {
  /** The export's column(s) the problem is in, e.g. `status` or `Employee`. */
  label: string;
  /** The value found (after the mapping's value map or lookup where that applies). */
  value: string | null;
  /** Extra fact: missing column list, lookup file, first row of a duplicate id, hours. */
  detail: string | null;
}

/**
 * A message is a template: `{label}`, `{value}` and `{detail}` stand for the facts (empty when
 * missing; `{detail|no}` gives a default). A reason with variants picks the first whose
 * condition holds. Templates, not functions, so the same sentences are rendered here (one row)
 * and compiled to SQL (rejectMessageSql: every reject of a file at once, in DuckDB).
 */
type Condition =
  | 'no_label'
  | 'no_detail'
  | 'detail_is_list'
  | 'detail_is_comma'
  | 'detail_is_quoted'
  | 'no_label_detail_zero'
  | 'detail_is_placeholder'
  | 'detail_is_availability'
  | 'detail_is_excel_number'
  | 'detail_is_whole_week';
type Template = string | readonly { when?: Condition; text: string }[];

const MESSAGES: Record<RejectReason, Template> = {
  missing_field: [
    { when: 'detail_is_list', text: '{detail} are empty' },
    { text: '{detail} is empty' },
  ],
  value_too_long:
    '{label} is longer than 1000 characters (it starts "{value}"); is a quote missing?',
  unmapped_value: [
    { when: 'no_detail', text: '{label} "{value}" is not in the lookup table' },
    { text: '{label} "{value}" is not in the lookup table {detail}' },
  ],
  unknown_status: '{label} "{value}" is not one of filled, unfilled, cancelled',
  unpublished_shift:
    'the shift is not published (a draft in the rota), so it is not counted as demand or cover',
  bad_date: '{label} "{value}" is not a real date (use YYYY-MM-DD or DD/MM/YYYY)',
  not_week_start: '{label} "{value}" is not a Monday',
  bad_time: [
    { when: 'no_detail', text: '{label} "{value}" is not a time (use HH:MM, e.g. 18:30)' },
    // A date-time on another day (mapping-sql.ts): the detail says which days it could be.
    {
      text: '{label} "{value}" is a date and time whose date is {detail}, so it is no time of this shift; check its date, or give the time alone (HH:MM)',
    },
  ],
  bad_number: '{label} "{value}" is not a number',
  ambiguous_number: [
    {
      when: 'detail_is_quoted',
      text: '{label} "{value}" could have a thousands separator or a decimal mark, and this file also writes {detail}, with that mark as its decimal one; write the amount without a thousands separator (1500, or 1.5)',
    },
    {
      when: 'detail_is_comma',
      text: '{label} "{value}" does not fit the mapping\'s decimal comma (write 1.234,50)',
    },
    {
      text: '{label} "{value}" is ambiguous: write 1,234.50 (or set "decimal": "," for this field in the mapping if the export writes 1.234,50)',
    },
  ],
  ambiguous_date:
    '{label} "{value}" could be day first or month first, and this file also writes {detail}, which is month first (US order); write dates as YYYY-MM-DD, or export them day first',
  ambiguous_time:
    '{label} "{value}" could be am or pm: this file {detail} and writes no 24-hour time (none from 13:00, none like 08:00), so its times look like a 12-hour clock without am or pm; write times as 24-hour HH:MM (17:00), or with am or pm (5:00 pm)',
  out_of_range: '{label} "{value}" is out of range (allowed: {detail|?})',
  date_out_of_range: '{label} "{value}" is outside the plausible dates {detail} (check the year)',
  bad_boolean: '{label} "{value}" is not true or false',
  bad_timestamp: [
    { when: 'no_detail', text: '{label} "{value}" is not a date and time (use YYYY-MM-DD HH:MM)' },
    // The mapping reads it in a declared format: the detail says which.
    { text: '{label} "{value}" is not a date and time as the mapping reads it: {detail}' },
  ],
  unknown_practice: '{label} "{value}" is not a known GP practice ODS code',
  unknown_network: '{label} "{value}" is not a known PCN code',
  no_network: 'practice "{value}" is in no PCN and the row gives no network',
  network_mismatch: 'practice "{detail}" is not in network "{value}"',
  network_folder_mismatch:
    'the row is for network "{value}" but the file was uploaded to the folder of network "{detail}"',
  unknown_role: '{label} "{value}" is not a Rotascope role (see docs/mappings.md)',
  unknown_engagement: '{label} "{value}" is not one of salaried, bank, locum, agency',
  unknown_session_type: '{label} "{value}" is not in_hours or extended_hours',
  unknown_delivery: '{label} "{value}" is not on_site or remote',
  missing_person: [
    {
      when: 'detail_is_placeholder',
      text: 'the shift is filled but {label} holds a placeholder (such as N/A, #N/A or TBC), not a person',
    },
    {
      when: 'detail_is_availability',
      text: '{label} holds a placeholder (such as N/A, #N/A or TBC), not a person',
    },
    {
      when: 'detail_is_excel_number',
      text: "{label} is a number Excel wrote in scientific notation (like 1.23457E+11), with the id's last digits lost, so different people's ids read the same; save the column as text, or export from the system again",
    },
    { text: 'the shift is filled but {label} is empty' },
  ],
  negative_value: '{label} "{value}" is negative',
  // The label is the break's column when there is a break to take off.
  non_positive_hours: [
    { when: 'no_label_detail_zero', text: 'the shift ends when it starts (0 hours)' },
    {
      when: 'no_label',
      text: 'the shift ends before it starts ({detail|no} hours); check its times and end date',
    },
    {
      text: 'the shift leaves {detail|no} hours of work once its break ({label} "{value}") is taken off',
    },
  ],
  too_long: [
    { when: 'no_label', text: 'the shift lasts {detail|more than 24} hours, longer than 24' },
    { text: '{label} "{detail}" is more than the 168 hours in a week' },
  ],
  duplicate_shift_id: '{label} "{value}" already appears on row {detail|?} of this file',
  duplicate_availability: [
    {
      when: 'detail_is_whole_week',
      text: "the clinician's availability for the whole week is given per session too, from row {value} of this file, so its hours would count twice; give one or the other",
    },
    {
      text: 'the same clinician, network, {label} "{value}" and session already appear on row {detail|?} of this file',
    },
  ],
  // The reader's own sentence (read-csv.ts, read-json.ts): "line 29003 of the file has 21
  // fields, the header has 18".
  malformed_row: "{detail|the row cannot be split into the header's fields}",
};

const SLOT = /\{(label|value|detail)(?:\|([^}]*))?\}/g;

function variants(template: Template): readonly { when?: Condition; text: string }[] {
  return typeof template === 'string' ? [{ text: template }] : template;
}

function holds(when: Condition | undefined, f: RejectFacts): boolean {
  if (when === 'no_label') return f.label === '';
  if (when === 'no_detail') return (f.detail ?? '') === '';
  if (when === 'detail_is_list') return f.detail?.includes(',') ?? false;
  if (when === 'detail_is_comma') return f.detail === ',';
  if (when === 'detail_is_quoted') return f.detail?.startsWith('"') ?? false;
  if (when === 'no_label_detail_zero') return f.label === '' && f.detail === '0';
  if (when === 'detail_is_placeholder') return f.detail === 'placeholder';
  if (when === 'detail_is_availability') return f.detail === 'availability';
  if (when === 'detail_is_excel_number') return f.detail === 'excel_number';
  if (when === 'detail_is_whole_week') return f.detail === 'whole_week';
  return true;
}

export function rejectMessage(reason: string, sourceRow: number, facts: RejectFacts): string {
  const template = MESSAGES[reason as RejectReason];
  const chosen = template && variants(template).find((v) => holds(v.when, facts));
  const text = chosen
    ? chosen.text.replace(
        SLOT,
        (_m, slot: keyof RejectFacts, fallback?: string) => facts[slot] ?? fallback ?? '',
      )
    : `rejected (${reason})`;
  return `Row ${sourceRow}: ${text}.`;
}

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * The same messages as one SQL expression over the columns named in `columns` (the reject
 * reason, source row, and the label, value and detail facts, all text but the row), for
 * DuckDB to write every reject of a batch of files at once (write-curated.ts).
 */
export function rejectMessageSql(columns: {
  reason: string;
  row: string;
  label: string;
  value: string;
  detail: string;
}): string {
  const slot = { label: columns.label, value: columns.value, detail: columns.detail };
  const condition: Record<Condition, string> = {
    no_label: `coalesce(${columns.label}, '') = ''`,
    no_detail: `coalesce(${columns.detail}, '') = ''`,
    detail_is_list: `coalesce(contains(${columns.detail}, ','), false)`,
    detail_is_comma: `coalesce(${columns.detail} = ',', false)`,
    detail_is_quoted: `coalesce(starts_with(${columns.detail}, '"'), false)`,
    no_label_detail_zero: `coalesce(${columns.label}, '') = '' and coalesce(${columns.detail} = '0', false)`,
    detail_is_placeholder: `coalesce(${columns.detail} = 'placeholder', false)`,
    detail_is_availability: `coalesce(${columns.detail} = 'availability', false)`,
    detail_is_excel_number: `coalesce(${columns.detail} = 'excel_number', false)`,
    detail_is_whole_week: `coalesce(${columns.detail} = 'whole_week', false)`,
  };
  const render = (text: string) => {
    const parts: string[] = [];
    let at = 0;
    for (const m of text.matchAll(SLOT)) {
      if (m.index > at) parts.push(sqlText(text.slice(at, m.index)));
      parts.push(`coalesce(${slot[m[1] as keyof typeof slot]}, ${sqlText(m[2] ?? '')})`);
      at = m.index + m[0].length;
    }
    if (at < text.length) parts.push(sqlText(text.slice(at)));
    return parts.length === 0 ? "''" : `concat(${parts.join(', ')})`;
  };
  const arms = Object.entries(MESSAGES).map(([reason, template]) => {
    const list = variants(template);
    const last = list.at(-1) as { text: string };
    const body =
      list.length === 1
        ? render(last.text)
        : `case ${list
            .slice(0, -1)
            .map((v) => `when ${v.when ? condition[v.when] : 'true'} then ${render(v.text)}`)
            .join(' ')} else ${render(last.text)} end`;
    return `when ${sqlText(reason)} then ${body}`;
  });
  return `concat('Row ', cast(${columns.row} as varchar), ': ', case ${columns.reason} ${arms.join(' ')} else concat('rejected (', ${columns.reason}, ')') end, '.')`;
}
