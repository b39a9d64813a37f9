/**
 * Writes a batch's curated output to its scratch folder, for every file of the batch at once:
 * each file's rejects with their messages in one DuckDB statement, and accepted rows as Parquet
 * partitioned by network and week in one statement (a group of partitions at a time, two groups
 * at once on two connections, when there are more than MAX_WRITE_ROWS). Every write runs on one
 * DuckDB thread, so its rows are in source order and its bytes the same every time. Partitioned by `file_id` first, so every file gets its own
 * objects, exactly what it would get in a batch of its own (ingest-batch.ts stores them under the
 * file's keys). Nothing is stored here: an engine error leaves the store as it was.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { type CuratedTable, dataKey, rejectsKey } from '../curated/curated-layout.js';
import { AVAILABILITY_COLUMNS, SHIFT_COLUMNS } from '../curated/curated-schema.js';
import type { ExportKind } from '../curated/ingest-manifest.js';
import { tableRows } from '../engine/arrow-types.js';
import { type DuckDbEngine, sqlString } from '../engine/duckdb-engine.js';
import { runInLanes } from '../engine/lanes.js';
import type { KindMapping, SourceMapping } from './mapping.js';
import { fieldLabel, quoteIdent, referencedColumns, specColumns } from './mapping-sql.js';
import { rejectMessageSql } from './messages.js';
import { clinicianKey } from './pseudonymise.js';

const OUTPUT_COLUMNS: Record<ExportKind, readonly string[]> = {
  shifts: SHIFT_COLUMNS,
  availability: AVAILABILITY_COLUMNS,
};

/** A curated object written to the scratch folder, and the key it is stored under. */
export interface LocalOutput {
  key: string;
  file: string;
}

/** The partition folders under `dir`, by file_id: `file_id=3/<rest>` -> [3, <rest>]. */
async function filesByFileId(
  dir: string,
): Promise<Map<number, { relative: string[]; file: string }[]>> {
  const byFile = new Map<number, { relative: string[]; file: string }[]>();
  for (const file of await listFiles(dir)) {
    const [top, ...relative] = path.relative(dir, file).split(path.sep);
    const id = Number(/^file_id=(\d+)$/.exec(top ?? '')?.[1]);
    if (!Number.isInteger(id)) throw new Error(`unexpected file in the batch output: ${file}`);
    byFile.set(id, [...(byFile.get(id) ?? []), { relative, file }]);
  }
  return byFile;
}

/** One curated partition of a file's accepted rows (countOutcomes in ingest-batch.ts). */
export interface AcceptedPartition {
  fileId: number;
  networkCode: string;
  weekStart: string;
  rows: number;
}

/**
 * Most accepted rows written by one statement. The write sorts its rows (so a partition's rows are
 * in source order), and a sort holds every row it sorts: a large export's partitions are written a
 * group at a time, two groups at once, so its memory is two groups', not the export's (on the
 * 1M-row bench export, 200,000 rows a group peaked at 1,118-1,218 MiB, 100,000 at 951-1,037 and
 * 60,000 at 909-928, for 5.0, 5.25 and 5.45 s; docs/performance.md). Each partition is written
 * whole by one statement either way, so its bytes do not depend on the groups.
 */
export const MAX_WRITE_ROWS = 60_000;

/**
 * Consecutive partitions grouped so that no group but one of a single partition holds more than
 * `limit` rows: the statements writeAccepted runs.
 */
export function writeGroups<T extends { rows: number }>(
  partitions: readonly T[],
  limit: number,
): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let rows = 0;
  for (const p of partitions) {
    if (current.length > 0 && rows + p.rows > limit) {
      groups.push(current);
      current = [];
      rows = 0;
    }
    current.push(p);
    rows += p.rows;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Accepted rows of `mapped`, per file of the batch, as Parquet partitioned by network and week,
 * under the file's keys (hashes[file_id]). `partitions` lists every (file, network, week) with
 * accepted rows; a batch of more than `maxRows` of them is written in groups (writeGroups), two
 * groups at a time on two connections. Every statement runs on one DuckDB thread (onOneThread),
 * so each partition's rows are in source order and its bytes the same every time; two
 * single-threaded statements side by side are as fast as one on two threads.
 */
export async function writeAccepted(
  engine: DuckDbEngine,
  kind: ExportKind,
  work: string,
  hashes: readonly string[],
  partitions: readonly AcceptedPartition[],
  maxRows = MAX_WRITE_ROWS,
): Promise<Map<number, LocalOutput[]>> {
  const groups = writeGroups(partitions, maxRows);
  // `mapped` leaves the file's own columns to ingest_files (queries/ingest/shifts.sql).
  const fromFile = new Set(['source_system', 'source_file']);
  const columns = `file_id, ${OUTPUT_COLUMNS[kind].map((c) => (fromFile.has(c) ? `f.${c}` : `m.${c}`)).join(', ')}`;
  const rows = 'mapped as m join ingest_files as f using (file_id)';
  const options = `(format parquet, partition_by (file_id, network_code, week_start), filename_pattern 'part_{i}')`;
  const folders = groups.map((_, g) => path.join(work, `accepted-${g}`));
  // One statement per group; with more than one group, each keeps to its own partitions.
  const write = async (lane: DuckDbEngine, g: number, laneIndex: number) => {
    let only = '';
    if (groups.length > 1) {
      const table = `write_group_${laneIndex}`;
      await lane.loadTextTable(
        table,
        ['file_id', 'network_code', 'week_start'],
        (groups[g] ?? []).map((p) => [String(p.fileId), p.networkCode, p.weekStart]),
      );
      only = `semi join ${table} as g on cast(g.file_id as integer) = m.file_id
           and g.network_code = m.network_code and cast(g.week_start as date) = m.week_start`;
    }
    await lane.run(
      `copy (select ${columns} from ${rows} ${only}
         where m.reason_code is null order by file_id, m.source_row)
       to ${sqlString(folders[g] as string)} ${options}`,
    );
  };
  await engine.onOneThread(async () => {
    // More than one group: two at a time, on this connection and a second one.
    const second = groups.length > 1 ? await engine.connect() : undefined;
    try {
      await runInLanes(second ? [engine, second] : [engine], [...groups.keys()], write);
    } finally {
      await second?.close();
    }
  });
  const outputs = new Map<number, LocalOutput[]>();
  for (const out of folders) {
    for (const [id, files] of await filesByFileId(out)) {
      const hash = hashes[id] as string;
      const mine = files.map(({ relative, file }) => {
        const part = Number(/part_(\d+)\.parquet$/.exec(relative.at(-1) ?? '')?.[1] ?? 0);
        return {
          key: dataKey(kind as CuratedTable, relative.slice(0, -1).join('/'), hash, part),
          file,
        };
      });
      outputs.set(id, [...(outputs.get(id) ?? []), ...mine]);
    }
  }
  for (const [id, mine] of outputs) {
    outputs.set(
      id,
      mine.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    );
  }
  return outputs;
}

/** A column name compared loosely: lower case, letters and digits only (`Person ID` = `person_id`). */
const looseName = (c: string) => c.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * Whether a mapping's person or private column `named` covers an export's `column`, so that its
 * values never reach the rejects as given: the same name in another spelling (`Person ID` for
 * `person_id`: an optional column the mapping does not find is still personal data), a repeat of
 * it renamed `_2`, `_3` by uniqueColumnNames (the mapping reads only the first), and a field of a
 * JSON object in it (`user.id`, `user.name` for `user`, as read-json.ts flattens them).
 */
export function coversColumn(named: string, column: string): boolean {
  const n = named.trim().toLowerCase();
  const c = column.trim().toLowerCase();
  if (c.startsWith(`${n}.`)) return true;
  const want = looseName(n);
  return looseName(c) === want || looseName(c.replace(/_\d+$/, '')) === want;
}

/**
 * Each file's export time (file_id, exported_at) from `mapped`: the latest of its accepted rows'
 * export times; when none was accepted, the latest of its rows' whose export time is plausible
 * (not itself rejected as date_out_of_range), else the file's own time (ingest_files). A rejected
 * row's own value is not to be trusted (a typo of 2062 made a network's latest export 2062, so it
 * could never look out of date; an audit found a file of only such rows did the same), nor is a
 * row's fallback to the file's modified time (a totals line with no export time made a file whose
 * rows all give one look as if none did). The ingest report's `exportedAt`, and every reject's
 * `exported_at` (rejected rows count under the export they came in).
 */
export const FILE_EXPORTED_AT_SQL = `select m.file_id,
    coalesce(
      max(m.exported_at) filter (where m.reason_code is null),
      max(m.exported_at) filter (where not (m.reason_code = 'date_out_of_range' and m.reason_field = 'exported_at')),
      any_value(f.fallback_exported_at)
    ) as exported_at
  from mapped as m join ingest_files as f on f.file_id = m.file_id group by m.file_id`;

export interface RejectsTarget {
  work: string;
  kind: ExportKind;
  sourceSystem: string;
  /** Each file's curated hash, by file_id. */
  hashes: readonly string[];
  mapping: SourceMapping;
  kindMapping: KindMapping;
  /** The exports' columns (read-export.ts): the same for every file of a batch. */
  columns: Map<string, string>;
  pseudonymKey: Uint8Array;
}

/**
 * The rejects of every file of the batch, built and written by DuckDB in one statement (no row
 * passes through JavaScript, so a file of 200,000 rejects costs what its accepted rows would):
 * the message from the templates in messages.ts (rejectMessageSql), and the raw values of the
 * columns the mapping reads as JSON (other columns are left out; none for a malformed row, whose
 * cells are not where its header says), where every column a person id is read from (the person_id field's column or cases, and the
 * mapping's person_columns) holds only `pseudonym:<clinician_key>` and the private columns
 * `[removed]`. One object per file with rejects, by file_id.
 */
export async function writeRejects(
  engine: DuckDbEngine,
  target: RejectsTarget,
): Promise<Map<number, LocalOutput>> {
  const { mapping, kindMapping } = target;
  const personColumns = [
    ...(kindMapping.fields.person_id ? specColumns(kindMapping.fields.person_id) : []),
    ...kindMapping.person_columns,
  ];
  // Only the columns the mapping reads: the others (a name, an email, a GMC number, free-text
  // notes) are nothing the rejects need to explain a row, and nothing pseudonymised them.
  const read = new Set(
    [...referencedColumns(target.kind, kindMapping).all, ...personColumns].map((c) =>
      c.trim().toLowerCase(),
    ),
  );
  const header = [...target.columns.values()].filter((c) => read.has(c.trim().toLowerCase()));
  const isPrivate = (c: string) => kindMapping.private_columns.some((p) => coversColumn(p, c));
  const persons = header.filter(
    (c) => personColumns.some((p) => coversColumn(p, c)) && !isPrivate(c),
  );
  await loadRawPseudonyms(engine, persons, target.pseudonymKey);
  // The row's person id typed into another column too (a role, a practice, a shift id: columns
  // shifted by hand) is the person's id there as well: its pseudonym, in the values and in the
  // message, never the id.
  // Inside a longer value too (`hca TH-N3-002`, `TH-N3-001/2026-11-02`), for an id of four
  // characters or more (a shorter one, `7`, would be found in any time or cost): replaced by the
  // pseudonym where it is written as in its own column, and the whole value removed where it is
  // written in another case.
  // A placeholder there (`0`, `TBC`, a JSON `true`: placeholder_person_id) stands for nobody and
  // is no id to look for: matched, a `true` made every other true of the row a pseudonym, and a
  // `0` the break of 0 minutes (raw_pseudonyms' person_match is NULL for one).
  const personCell = persons.length > 0 ? `r.${quoteIdent(persons[0] as string)}` : undefined;
  const personHere = personCell ? 'p0.person_match' : undefined;
  const pseudonym = `coalesce('pseudonym:' || p0.clinician_key, '[removed]')`;
  /** `cell`, with the row's person id in it made its pseudonym. */
  const unlessPerson = (cell: string) => {
    if (!personHere || !personCell) return cell;
    const replaced = `replace(${cell}, trim(${personCell}), ${pseudonym})`;
    return `case when normalise_person_id(${cell}) = ${personHere} then ${pseudonym}
      when length(${personHere}) >= 4 and contains(upper(${cell}), ${personHere}) then
        (case when contains(upper(${replaced}), ${personHere}) then '[removed]' else ${replaced} end)
      else ${cell} end`;
  };
  const values = header.map((column) => {
    const cell = `r.${quoteIdent(column)}`;
    const i = persons.indexOf(column);
    const value = isPrivate(column)
      ? `case when ${cell} is null then null else '[removed]' end`
      : i >= 0
        ? `case when coalesce(trim(${cell}), '') = '' then ${cell} else coalesce('pseudonym:' || p${i}.clinician_key, '[removed]') end`
        : unlessPerson(cell);
    return `${sqlString(column)}, ${value}`;
  });
  const joins = persons.map(
    (column, i) =>
      `left join raw_pseudonyms as p${i} on p${i}.person_id_norm = normalise_person_id(r.${quoteIdent(column)})`,
  );
  const labels = Object.keys(kindMapping.fields).map(
    (field) => `when ${sqlString(field)} then ${sqlString(fieldLabel(kindMapping, field))}`,
  );
  const lookupDetails = Object.entries(kindMapping.fields).flatMap(([field, spec]) =>
    spec.lookup
      ? [
          `when ${sqlString(field)} then ${sqlString(`"${spec.lookup}" (${path.basename(mapping.lookups[spec.lookup]?.file ?? '')})`)}`,
        ]
      : [],
  );
  const label =
    labels.length > 0
      ? `case m.reason_field ${labels.join(' ')} else coalesce(m.reason_field, '') end`
      : `coalesce(m.reason_field, '')`;
  const detail =
    lookupDetails.length > 0
      ? `case when m.reason_code = 'unmapped_value' then (case m.reason_field ${lookupDetails.join(' ')} else m.reason_detail end) else m.reason_detail end`
      : 'm.reason_detail';
  const message = rejectMessageSql({
    reason: 'f.reason_code',
    row: 'f.source_row',
    label: 'f.label',
    value: 'f.value',
    detail: 'f.detail',
  });
  const out = path.join(target.work, 'rejects');
  await engine.onOneThread(() =>
    engine.run(
      `copy (
      with fe as (${FILE_EXPORTED_AT_SQL}),
      f as (
        select m.file_id, m.source_row, m.reason_code, ${label} as label,
          case when m.reason_field = 'person_id' then null else ${unlessPerson('m.reason_value')} end as value,
          ${detail} as detail,
          ${header.length > 0 ? `case when m.reason_code = 'malformed_row' then '{}' else cast(json_object(${values.join(', ')}) as varchar) end` : `'{}'`} as raw_values
        from mapped as m
        join batch_rows as r using (file_id, source_row)
        ${joins.join('\n        ')}
        where m.reason_code is not null
      )
      select f.file_id, i.source_system, i.source_file, cast(f.source_row as integer) as source_row,
        $kind as kind, i.folder_network as network_code, f.reason_code, ${message} as message, f.raw_values,
        cast(fe.exported_at as timestamptz) as exported_at
      from f join ingest_files as i using (file_id) join fe using (file_id)
      order by f.file_id, f.source_row
    ) to ${sqlString(out)} (format parquet, partition_by (file_id), filename_pattern 'part_{i}')`,
      { kind: target.kind },
    ),
  );
  const outputs = new Map<number, LocalOutput>();
  for (const [id, files] of await filesByFileId(out)) {
    const [only, ...more] = files;
    if (!only || more.length > 0) {
      throw new Error(`expected one rejects file for file ${id} of the batch, got ${files.length}`);
    }
    outputs.set(id, {
      key: rejectsKey(target.sourceSystem, target.hashes[id] as string),
      file: only.file,
    });
  }
  return outputs;
}

/**
 * `raw_pseudonyms`: the pseudonym of every person id in the rejected rows' person columns, keyed
 * by the id as normalise_person_id gives it (and derived from that same text), and
 * `person_match`, the id to look for in the row's other values: the same, or NULL for a
 * placeholder (placeholder_person_id), which is nobody's id.
 */
async function loadRawPseudonyms(
  engine: DuckDbEngine,
  columns: readonly string[],
  key: Uint8Array,
): Promise<void> {
  const ids =
    columns.length === 0
      ? []
      : tableRows<{ id: string; placeholder: boolean }>(
          await engine.query(
            `select id, placeholder_person_id(id) as placeholder from (select distinct normalise_person_id(v) as id from (
              ${columns
                .map(
                  (c) =>
                    `select r.${quoteIdent(c)} as v from batch_rows as r join mapped as m using (file_id, source_row) where m.reason_code is not null`,
                )
                .join(' union all ')}
            ) where normalise_person_id(v) <> '')`,
          ),
        );
  await engine.loadTextTable(
    'raw_pseudonyms',
    ['person_id_norm', 'clinician_key', 'person_match'],
    ids.map(({ id, placeholder }) => [id, clinicianKey(key, id), placeholder ? null : id]),
  );
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
