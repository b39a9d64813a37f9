/**
 * Hand-written curated data for metric tests: canonical shift and availability rows written as
 * curated Parquet (the layout ingest writes), without going through an export. Give only what a
 * test is about; the rest defaults to a filled, salaried, on-site GP shift at F84025 (network
 * U60865, ICB QMF). Times are Europe/London wall clock (`2026-11-09 09:00`); hours are computed
 * as (end - start) - break, exactly as ingest does.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AVAILABILITY_COLUMNS, SHIFT_COLUMNS } from '../../src/curated/curated-schema.js';
import { type DuckDbEngine, sqlString } from '../../src/engine/duckdb-engine.js';
import type { ObjectStore } from '../../src/store/object-store.js';

export interface ShiftFixture {
  shift_id: string;
  /** Local start and end, `YYYY-MM-DD HH:MM`. */
  start: string;
  end: string;
  status?: 'filled' | 'unfilled' | 'cancelled';
  practice_code?: string;
  network_code?: string;
  icb_code?: string;
  role?: string;
  staff_group?: string;
  /** Default salaried when filled; always NULL unless filled. */
  engagement?: string | null;
  arrs_funded?: boolean | null;
  /** Default `c-<shift_id>` when filled; always NULL unless filled. */
  clinician_key?: string | null;
  break_minutes?: number;
  session_type?: 'in_hours' | 'extended_hours';
  delivery?: 'on_site' | 'remote';
  cost_pence?: number | null;
  published_at?: string | null;
  filled_at?: string | null;
  /** Local time of the export, default `2026-11-16 07:00`. */
  exported_at?: string;
  source_system?: string;
  source_file?: string;
}

export interface AvailabilityFixture {
  clinician_key: string;
  week_start: string;
  available_hours: number;
  network_code?: string;
  icb_code?: string;
  home_practice_code?: string | null;
  role?: string;
  engagement?: string;
  session_type?: 'in_hours' | 'extended_hours' | null;
  exported_at?: string;
}

const STAFF_GROUP: Record<string, string> = {
  gp: 'gp',
  practice_nurse: 'nurse',
  nursing_associate: 'nurse',
  admin: 'admin',
};

const nullable = (v: string | number | boolean | null | undefined) =>
  v === null || v === undefined ? null : String(v);

/** Write shifts as curated Parquet under `shifts/`, one file set per call (like one export). */
export async function writeCuratedShifts(
  engine: DuckDbEngine,
  curated: ObjectStore,
  rows: readonly ShiftFixture[],
  batch = 'fixture',
  /** The curated columns written: leave one out to stand for files ingested before it existed. */
  curatedColumns: readonly string[] = SHIFT_COLUMNS,
): Promise<void> {
  const columns = [
    'source_system',
    'source_file',
    'source_row',
    'exported_local',
    'shift_id',
    'practice_code',
    'network_code',
    'icb_code',
    'role',
    'staff_group',
    'engagement',
    'arrs_funded',
    'clinician_key',
    'start_local',
    'end_local',
    'break_minutes',
    'session_type',
    'delivery',
    'status',
    'published_local',
    'filled_local',
    'cost_pence',
  ];
  await engine.loadTextTable(
    'fixture_shifts',
    columns,
    rows.map((r, i) => {
      const status = r.status ?? 'filled';
      const filled = status === 'filled';
      const role = r.role ?? 'gp';
      return [
        r.source_system ?? 'test',
        r.source_file ?? `test/${batch}.csv`,
        String(i + 1),
        r.exported_at ?? '2026-11-16 07:00',
        r.shift_id,
        r.practice_code ?? 'F84025',
        r.network_code ?? 'U60865',
        r.icb_code ?? 'QMF',
        role,
        r.staff_group ?? STAFF_GROUP[role] ?? 'direct_patient_care',
        filled ? (r.engagement === undefined ? 'salaried' : r.engagement) : null,
        nullable(r.arrs_funded),
        filled ? (r.clinician_key === undefined ? `c-${r.shift_id}` : r.clinician_key) : null,
        r.start,
        r.end,
        String(r.break_minutes ?? 0),
        r.session_type ?? 'in_hours',
        r.delivery ?? 'on_site',
        status,
        nullable(r.published_at),
        filled ? nullable(r.filled_at) : null,
        filled ? nullable(r.cost_pence) : null,
      ];
    }),
  );
  const london = (c: string) => `timezone('Europe/London', cast(${c} as timestamp))`;
  await writePartitioned(
    engine,
    curated,
    'shifts',
    batch,
    `select source_system, source_file, cast(source_row as integer) as source_row,
       ${london('exported_local')} as exported_at, shift_id, practice_code, network_code, icb_code, role,
       staff_group, engagement, cast(arrs_funded as boolean) as arrs_funded, clinician_key,
       ${london('start_local')} as start_at, ${london('end_local')} as end_at,
       cast(cast(start_local as timestamp) as date) as shift_date,
       cast(date_trunc('week', cast(start_local as timestamp)) as date) as week_start,
       cast(hour(cast(start_local as timestamp)) as smallint) as start_hour,
       cast(hour(cast(start_local as timestamp)) * 60 + minute(cast(start_local as timestamp)) as smallint) as start_minute,
       cast(break_minutes as integer) as break_minutes,
       (epoch(${london('end_local')}) - epoch(${london('start_local')})) / 3600.0 - cast(break_minutes as integer) / 60.0 as hours,
       session_type, delivery, status, ${london('published_local')} as published_at,
       ${london('filled_local')} as filled_at, cast(cost_pence as bigint) as cost_pence
     from fixture_shifts`,
    curatedColumns,
  );
}

/** Write availability rows as curated Parquet under `availability/`. */
export async function writeCuratedAvailability(
  engine: DuckDbEngine,
  curated: ObjectStore,
  rows: readonly AvailabilityFixture[],
  batch = 'fixture',
): Promise<void> {
  await engine.loadTextTable(
    'fixture_availability',
    [
      'source_row',
      'exported_local',
      'clinician_key',
      'network_code',
      'icb_code',
      'home_practice_code',
      'role',
      'engagement',
      'week_start',
      'session_type',
      'available_hours',
    ],
    rows.map((r, i) => [
      String(i + 1),
      r.exported_at ?? '2026-11-16 07:00',
      r.clinician_key,
      r.network_code ?? 'U60865',
      r.icb_code ?? 'QMF',
      r.home_practice_code === undefined ? 'F84025' : r.home_practice_code,
      r.role ?? 'gp',
      r.engagement ?? 'salaried',
      r.week_start,
      nullable(r.session_type),
      String(r.available_hours),
    ]),
  );
  await writePartitioned(
    engine,
    curated,
    'availability',
    batch,
    `select 'test' as source_system, 'test/${batch}-availability.csv' as source_file,
       cast(source_row as integer) as source_row,
       timezone('Europe/London', cast(exported_local as timestamp)) as exported_at, clinician_key,
       network_code, icb_code, home_practice_code, role, engagement, cast(week_start as date) as week_start,
       session_type, cast(available_hours as double) as available_hours
     from fixture_availability`,
    AVAILABILITY_COLUMNS,
  );
}

async function writePartitioned(
  engine: DuckDbEngine,
  curated: ObjectStore,
  table: string,
  batch: string,
  select: string,
  columns: readonly string[],
): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-fixture-'));
  try {
    await engine.run(
      `copy (select ${columns.join(', ')} from (${select}) order by source_row) to ${sqlString(dir)}
       (format parquet, partition_by (network_code, week_start), filename_pattern '${batch}_{i}')`,
    );
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    for (const e of entries.filter((f) => f.isFile())) {
      const file = path.join(e.parentPath, e.name);
      const key = `${table}/${path.relative(dir, file).split(path.sep).join('/')}`;
      await curated.put(key, await readFile(file), 'application/vnd.apache.parquet');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
