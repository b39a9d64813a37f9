/**
 * The file-level corpus: whole exports that are misplaced, misnamed or read through a wrong
 * mapping, across the generic layout and the shipped RotaCloud, Deputy and When I Work mappings
 * (plus a hand-written "rosterpro" mapping and its typo'd variants). Table-driven: a case is one
 * row (raw key, body, what must happen). All cases go through one real ingest run (DuckDB, a
 * local store); each asserts its reason or message, and the run asserts conservation: every key
 * is ingested, failed, ignored or passed over (non-exports) exactly once, and rows in =
 * accepted + rejected. Every line a person reads (report, failure, ignored) is printable.
 * Then: a run goes on past a file that throws anything (a failing store injected through the
 * ObjectStore port), and the command line exits 1 naming what it left out.
 */
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemLines } from '../../../src/cli/commands.js';
import { main } from '../../../src/cli/main.js';
import { fixedClock } from '../../../src/clock.js';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import { type IngestSummary, ingestAll } from '../../../src/ingest/ingest-all.js';
import { formatIngestReport } from '../../../src/ingest/ingest-report.js';
import { KeyFileSecrets } from '../../../src/ingest/pseudonymise.js';
import { packageRoot } from '../../../src/package-root.js';
import { LocalFolderStore } from '../../../src/store/local-folder-store.js';
import type { ObjectStore } from '../../../src/store/object-store.js';
import { bundledReference } from '../../helpers/reference.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

// --- exports --------------------------------------------------------------------------------

const GENERIC_HEADER =
  'shift_id,practice_code,network_code,role,engagement,arrs_funded,person_id,date,start_time,end_time,break_minutes,session_type,delivery,status,cost_gbp,published_at,filled_at,exported_at';
const GENERIC_ROW =
  'OK-1,F84698,U60865,gp,locum,false,GMC-7100001,2026-11-10,08:30,12:30,0,,on_site,filled,380.00,2026-10-20 10:00,2026-11-01 16:00,2026-11-16 07:00';
/** A one-row generic export; each case its own id, so no two files have the same content. */
const generic = (id: string) => `${GENERIC_HEADER}\n${GENERIC_ROW.replace('OK-1', id)}\n`;
const GENERIC = generic('OK-1');
/** A notes cell with quotes, a comma, a backslash, a newline, a tab, £ and an emoji. */
const AWKWARD = 'say "hi", C:\\temp\nline two\t£5 é 🙂';
const AWKWARD_CSV = `"${AWKWARD.replaceAll('"', '""')}"`;
/** The generic layout with `extra` more columns, a good row and a row of an unknown practice. */
const wide = (extra: number) => {
  const names = Array.from({ length: extra }, (_, i) => `x${i + 1}`);
  const cells = names.map((_, i) => `v${i + 1}`);
  const bad = GENERIC_ROW.replace('OK-1', 'W-2').replace('F84698', 'F99999');
  return [
    [GENERIC_HEADER, ...names].join(','),
    [GENERIC_ROW.replace('OK-1', 'W-1'), ...cells].join(','),
    [bad, ...cells].join(','),
    '',
  ].join('\n');
};
/** Only the columns the generic layout requires: the others are optional. */
const GENERIC_MINIMAL =
  'shift_id,practice_code,role,date,start_time,end_time,status\nM-1,F84698,gp,2026-11-10,08:30,12:30,unfilled\n';

const DEPUTY_HEADER =
  'Id,Date,StartTime,EndTime,Mealbreak,TotalTime,Cost,OperationalUnit,Employee,Published,Open';
const DEPUTY_ROW = '301,09/11/2026,08:00,12:00,0:30,4,320.00,Gough Walk - GP,E1001,Yes,No';
const DEPUTY_NO_COST = `${DEPUTY_HEADER.replace(',Cost', '')}\n${DEPUTY_ROW.replace(',320.00', '')}\n`;

const ROTACLOUD_SHIFT = {
  id: 9001,
  deleted: false,
  published: true,
  open: false,
  start_time: 1794214800,
  end_time: 1794229200,
  minutes_break: 30,
  user: 501,
  location: 101,
  role: 11,
};
const withoutKey = <T extends object>(o: T, k: keyof T) =>
  Object.fromEntries(Object.entries(o).filter(([key]) => key !== k));

const WIW_SHIFT = {
  id: 70001,
  user_id: 8001,
  position_id: 701,
  location_id: 1,
  site_id: 5001,
  start_time: 'Mon, 09 Nov 2026 08:00:00 +0000',
  end_time: 'Mon, 09 Nov 2026 12:00:00 +0000',
  break_time: 0.5,
  published: true,
  is_open: false,
};

/** A hand-written mapping for a made-up system, and variants of it with one mistake each. */
const ROSTERPRO_HEADER =
  'Id,Practice,Role,Date,Start,End,Break (mins),Cost (GBP),Employee,Payroll No,Cover Employee,Status';
const rosterproCsv = (n: number) => `${ROSTERPRO_HEADER}
R${n}-1,F84698,gp,2026-11-10,08:30,12:30,30,300.00,EMP-0001,PAY-111,,filled
R${n}-2,F99999,gp,2026-11-10,08:30,12:30,30,300.00,EMP-0002,PAY-222,EMP-0003,filled
`;
function rosterpro(name: string, change: (fields: Record<string, unknown>) => void = () => {}) {
  const fields: Record<string, unknown> = {
    shift_id: { column: 'Id' },
    practice_code: { column: 'Practice' },
    role: { column: 'Role' },
    engagement: { const: 'locum' },
    person_id: { column: 'Employee' },
    date: { column: 'Date' },
    start_time: { column: 'Start' },
    end_time: { column: 'End' },
    break: { column: 'Break (mins)', unit: 'minutes' },
    cost: { column: 'Cost (GBP)', unit: 'pounds' },
    status: {
      cases: [
        { when: { column: 'Status', equals: 'open' }, value: 'unfilled' },
        { when: { column: 'Cover Employee', equals: 'none' }, value: 'unfilled' },
      ],
      else: 'filled',
    },
  };
  change(fields);
  return {
    name,
    description: 'RosterPro CSV (made up for the tests)',
    shifts: {
      formats: { csv: {} },
      fields,
      person_columns: ['Payroll No', 'Cover Employee'],
    },
  };
}
const MAPPINGS = [
  rosterpro('rosterpro'),
  rosterpro('rosterbreak', (f) => {
    f.break = { column: 'Break (min)', unit: 'minutes' };
  }),
  rosterpro('rosteroptional', (f) => {
    f.break = { column: 'Break (min)', unit: 'minutes', optional: true };
  }),
  rosterpro('rostercost', (f) => {
    f.cost = { column: 'Cost (£)', unit: 'pounds' };
  }),
  rosterpro('rostertypo', (f) => {
    f.cost = { column: 'Cost (GBP)', unit: 'gbp' };
    f.break = { column: 'Break (mins)', unit: 'mins' };
  }),
];

// --- the cases ------------------------------------------------------------------------------

type Outcome =
  | { ingested: { rowsIn: number; accepted: number; reasons?: Record<string, number> } }
  | { failed: string[] }
  | { ignored: string }
  | { passedOver: true };

const CASES: [name: string, key: string, body: string | Uint8Array, outcome: Outcome][] = [
  // Misplaced keys: listed with what was expected, never ingested, never silent.
  [
    'system folder in the wrong case',
    'Generic/U60865/shifts/a.csv',
    generic('C-1'),
    { ignored: 'source system folder must be lower case, like generic' },
  ],
  [
    'network folder in lower case',
    'generic/u60865/shifts/x.csv',
    generic('C-2'),
    { ignored: 'network folder must be a PCN code like U60865 (upper case: U60865)' },
  ],
  [
    'shift/ for shifts/',
    'generic/U60865/shift/x.csv',
    generic('C-3'),
    { ignored: 'kind folder must be shifts or availability (shifts?), not "shift"' },
  ],
  [
    'a sub-folder under shifts/',
    'generic/U60865/shifts/old/x.csv',
    generic('C-4'),
    { ignored: 'exports go straight in generic/U60865/shifts/, not in a sub-folder (old/)' },
  ],
  [
    'a file straight under the network folder',
    'generic/U60865/x.csv',
    generic('C-5'),
    { ignored: 'the file is straight under generic/U60865/; exports go in' },
  ],
  [
    'a file at the top of the raw area',
    'x.csv',
    generic('C-6'),
    { ignored: 'the file is at the top of the raw area' },
  ],
  [
    'a misplaced key with a terminal escape',
    'generic/u60865/shifts/\u001b[2J.csv',
    generic('C-7'),
    { ignored: 'network folder must be a PCN code' },
  ],
  // Plain non-exports pass without a word.
  ['.DS_Store', 'generic/U60865/shifts/.DS_Store', 'junk', { passedOver: true }],
  ['macOS resource fork', 'generic/U60865/shifts/._x.csv', 'junk', { passedOver: true }],
  // Mappings.
  [
    'a source system with no mapping',
    'nomapping/U60865/shifts/x.csv',
    generic('C-8'),
    { failed: ['No mapping for source system "nomapping"'] },
  ],
  [
    'a mapping with two schema problems',
    'rostertypo/U60865/shifts/x.csv',
    rosterproCsv(1),
    {
      failed: [
        'is not valid:',
        'shifts.fields.cost: "gbp" is not one of pounds, pence',
        'shifts.fields.break: "mins" is not one of minutes, hours, duration, clock',
      ],
    },
  ],
  [
    'a misspelt break column',
    'rosterbreak/U60865/shifts/x.csv',
    rosterproCsv(2),
    {
      failed: [
        'mapping names column "Break (min)"; the file has: Id, Practice, Role, Date, Start, End, Break (mins), Cost (GBP)',
        '"optional": true',
      ],
    },
  ],
  [
    'a misspelt break column marked optional',
    'rosteroptional/U60865/shifts/x.csv',
    rosterproCsv(3),
    { ingested: { rowsIn: 2, accepted: 1, reasons: { unknown_practice: 1 } } },
  ],
  [
    'a misspelt cost column',
    'rostercost/U60865/shifts/x.csv',
    rosterproCsv(4),
    { failed: ['mapping names column "Cost (£)"; the file has:'] },
  ],
  [
    'the hand-written mapping, right',
    'rosterpro/U60865/shifts/x.csv',
    rosterproCsv(5),
    { ingested: { rowsIn: 2, accepted: 1, reasons: { unknown_practice: 1 } } },
  ],
  // Missing and optional columns in the shipped mappings.
  [
    'generic: only the required columns',
    'generic/U60865/shifts/minimal.csv',
    GENERIC_MINIMAL,
    { ingested: { rowsIn: 1, accepted: 1 } },
  ],
  [
    'generic: a required column missing',
    'generic/U60865/shifts/no-status.csv',
    'shift_id,practice_code,role,date,start_time,end_time\nX,F84698,gp,2026-11-10,08:30,12:30\n',
    {
      failed: [
        'missing required column status; the file has: shift_id, practice_code, role, date, start_time, end_time',
      ],
    },
  ],
  [
    'deputy: the Cost column left out',
    'deputy/U60865/shifts/no-cost.csv',
    DEPUTY_NO_COST,
    { failed: ['mapping names column "Cost"; the file has: Id, Date'] },
  ],
  [
    'deputy: every column',
    'deputy/U60865/shifts/roster.csv',
    `${DEPUTY_HEADER}\n${DEPUTY_ROW}\n`,
    { ingested: { rowsIn: 1, accepted: 1 } },
  ],
  [
    'rotacloud: no element has minutes_break',
    'rotacloud/U60865/shifts/no-break.json',
    JSON.stringify([withoutKey(ROTACLOUD_SHIFT, 'minutes_break')]),
    {
      failed: ['mapping names column "minutes_break"; the file has: id, deleted, published, open'],
    },
  ],
  [
    'rotacloud: minutes_break on one element of two',
    'rotacloud/U60865/shifts/some-break.json',
    JSON.stringify([
      withoutKey(ROTACLOUD_SHIFT, 'minutes_break'),
      { ...ROTACLOUD_SHIFT, id: 9002 },
    ]),
    { ingested: { rowsIn: 2, accepted: 2 } },
  ],
  [
    'rotacloud: an empty array',
    'rotacloud/U60865/shifts/empty.json',
    '[]',
    { ingested: { rowsIn: 0, accepted: 0 } },
  ],
  [
    'wheniwork: no element has break_time',
    'wheniwork/U60865/shifts/no-break.json',
    JSON.stringify({ shifts: [withoutKey(WIW_SHIFT, 'break_time')] }),
    { failed: ['mapping names column "break_time"'] },
  ],
  [
    'wheniwork: an empty shifts array',
    'wheniwork/U60865/shifts/empty.json',
    '{"shifts": []}',
    { ingested: { rowsIn: 0, accepted: 0 } },
  ],
  [
    'wheniwork: every key',
    'wheniwork/U60865/shifts/ok.json',
    JSON.stringify({ shifts: [WIW_SHIFT] }),
    { ingested: { rowsIn: 1, accepted: 1 } },
  ],
  [
    'generic: 3,000 extra columns and a rejected row',
    'generic/U60865/shifts/wide.csv',
    wide(3000),
    { ingested: { rowsIn: 2, accepted: 1, reasons: { unknown_practice: 1 } } },
  ],
  [
    'generic: awkward text in a rejected row',
    'generic/U60865/shifts/awkward.csv',
    `${GENERIC_HEADER},notes,gmc_number,email\n${GENERIC_ROW.replace('OK-1', AWKWARD_CSV).replace('F84698', 'F99999')},free text about Dr Brown,GMC-7100001,jane.smith@nhs.net\n`,
    { ingested: { rowsIn: 1, accepted: 0, reasons: { unknown_practice: 1 } } },
  ],
  // Odd file names: read, and never echoed raw.
  [
    'a newline in the file name',
    'generic/U60865/shifts/a\nb.csv',
    generic('C-9'),
    { ingested: { rowsIn: 1, accepted: 1 } },
  ],
  [
    'a terminal escape in the file name',
    'generic/U60865/shifts/\u001b[31mred\u001b[0m.csv',
    generic('OK-2'),
    { ingested: { rowsIn: 1, accepted: 1 } },
  ],
  [
    'a bidi override in the file name',
    'generic/U60865/shifts/x\u202evsc.csv',
    generic('OK-3'),
    { ingested: { rowsIn: 1, accepted: 1 } },
  ],
  [
    'a C1 control and a bell in a failing file name',
    'generic/U60865/shifts/bad\u0007\u009b.csv',
    '',
    { failed: ['bad\\x07\\x9b.csv', 'the file is empty'] },
  ],
];

/** C0, DEL, C1 and bidi controls: none may reach a terminal or a log. */
const UNSAFE = {
  asymmetricMatch: (text: string) =>
    [...text].some((c) => {
      const n = c.charCodeAt(0);
      return (
        n < 0x20 ||
        (n >= 0x7f && n <= 0x9f) ||
        (n >= 0x202a && n <= 0x202e) ||
        (n >= 0x2066 && n <= 0x2069)
      );
    }),
};
const safe = (text: string | undefined) => expect(UNSAFE.asymmetricMatch(text ?? '')).toBe(false);

let stores: TestStores;
let engine: DuckDbEngine;
let summary: IngestSummary;
let mappingsDir: string;

beforeAll(async () => {
  stores = await openTestStores('local');
  engine = await DuckDbEngine.open();
  mappingsDir = path.join(stores.dir, 'mappings');
  await cp(path.join(packageRoot, 'mappings'), mappingsDir, { recursive: true });
  for (const mapping of MAPPINGS) {
    await writeFile(path.join(mappingsDir, `${mapping.name}.json`), JSON.stringify(mapping));
  }
  for (const [, key, body] of CASES) await stores.raw.put(key, body);
  summary = await ingestTestStores(stores, engine, { mappingsDir });
}, 600_000);
afterAll(async () => {
  await engine?.close();
  await stores?.close();
});

/** The rejects stored for one raw key, in row order. */
async function rejectsOf(rawKey: string) {
  const manifest = summary.ingested.find((m) => m.sourceFile === rawKey);
  const key = manifest?.curatedKeys.find((k) => k.startsWith('rejects/'));
  const file = path.join(stores.dir, `${manifest?.contentSha256}.parquet`);
  await writeFile(file, await stores.curated.get(key ?? ''));
  return tableRows<{ message: string; raw_values: string }>(
    await engine.query(
      `select message, raw_values from read_parquet(${sqlString(file)}) order by source_row`,
    ),
  );
}

describe('file-level corpus', () => {
  it('has at least 15 cases, each accounted for exactly once', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
    const seen = [
      ...summary.ingested.map((m) => m.sourceFile),
      ...summary.failed.map((f) => f.key),
      ...summary.ignored.map((i) => i.key),
      ...summary.skipped,
    ];
    expect(summary.skipped).toEqual([]);
    const expected = CASES.filter(([, , , o]) => !('passedOver' in o)).map(([, key]) => key);
    expect(seen.sort()).toEqual(expected.sort());
  });

  it.each(CASES)('%s', (_name, key, _body, outcome) => {
    const manifest = summary.ingested.find((m) => m.sourceFile === key);
    const failure = summary.failed.find((f) => f.key === key);
    const ignored = summary.ignored.find((i) => i.key === key);
    if ('ingested' in outcome) {
      const { rowsIn, accepted, reasons = {} } = outcome.ingested;
      expect(manifest).toMatchObject({ rowsIn, accepted, rejected: rowsIn - accepted });
      expect(manifest?.rejectsByReason).toEqual(reasons);
      // A report is a line, plus a warning line when the export time is the file's modified time.
      for (const line of formatIngestReport(manifest as NonNullable<typeof manifest>).split('\n'))
        safe(line);
    } else if ('failed' in outcome) {
      expect(manifest).toBeUndefined();
      for (const part of outcome.failed) expect(failure?.reason).toContain(part);
      expect(failure?.kind).toBe('unreadable');
      safe(failure?.reason);
      for (const line of failure?.lines ?? []) safe(line);
    } else if ('ignored' in outcome) {
      expect(ignored?.reason).toContain(outcome.ignored);
      expect(manifest ?? failure).toBeUndefined();
    } else {
      expect(manifest ?? failure ?? ignored).toBeUndefined();
    }
  });

  it('conserves rows: in = accepted + rejected, per file and in total', () => {
    for (const m of summary.ingested) expect(m.rowsIn).toBe(m.accepted + m.rejected);
    expect(summary.rowsIn).toBe(summary.accepted + summary.rejected);
  });

  it('prints every schema problem of a mapping on its own line', () => {
    const failure = summary.failed.find((f) => f.key === 'rostertypo/U60865/shifts/x.csv');
    const lines = problemLines({ ...summary, failed: failure ? [failure] : [], ignored: [] });
    expect(lines[0]).toMatch(
      /^failed: Cannot read export rostertypo\/U60865\/shifts\/x\.csv: Mapping .*rostertypo\.json is not valid:$/,
    );
    expect(lines.slice(1)).toEqual(
      expect.arrayContaining([
        '    shifts.fields.cost: "gbp" is not one of pounds, pence',
        '    shifts.fields.break: "mins" is not one of minutes, hours, duration, clock',
      ]),
    );
  });

  it('escapes file names in every line a person reads', () => {
    const lines = [
      ...summary.ingested.flatMap((m) => formatIngestReport(m).split('\n')),
      ...problemLines(summary),
    ];
    for (const line of lines) safe(line);
    expect(lines.join('\n')).toContain('generic/U60865/shifts/a\\nb.csv: 1 rows');
    expect(lines.join('\n')).toContain('shifts/\\x1b[31mred\\x1b[0m.csv: 1 rows');
    expect(lines.join('\n')).toContain('shifts/x\\u202evsc.csv: 1 rows');
    expect(lines).toContain(
      'ignored: generic/u60865/shifts/\\x1b[2J.csv: network folder must be a PCN code like U60865 (upper case: U60865)',
    );
  });

  it('keeps a rejected row’s raw text exactly, as JSON, of the columns the mapping reads only', async () => {
    const [row] = await rejectsOf('generic/U60865/shifts/awkward.csv');
    const raw = JSON.parse(String(row?.raw_values)) as Record<string, string | null>;
    expect(raw.shift_id).toBe(AWKWARD);
    expect(raw.practice_code).toBe('F99999');
    expect(raw.session_type).toBeNull();
    expect(raw.person_id).toMatch(/^pseudonym:[0-9a-f]{32}$/);
    // Columns the mapping does not read (notes, a GMC number, an email) are left out: nothing
    // pseudonymised them, and a reject needs none of them to be understood.
    expect(Object.keys(raw)).toEqual(GENERIC_HEADER.split(','));
    expect(row?.raw_values).not.toMatch(/Brown|GMC-7100001|jane\.smith/);
  });

  it('keeps every person-id column of a rejected row only as a pseudonym', async () => {
    const [row] = await rejectsOf('rosterpro/U60865/shifts/x.csv');
    expect(row?.message).toBe('Row 2: Practice "F99999" is not a known GP practice ODS code.');
    const raw = JSON.parse(String(row?.raw_values)) as Record<string, string>;
    for (const column of ['Employee', 'Payroll No', 'Cover Employee']) {
      expect(raw[column]).toMatch(/^pseudonym:[0-9a-f]{32}$/);
    }
    expect(raw.Practice).toBe('F99999');
    expect(row?.raw_values).not.toMatch(/EMP-000|PAY-222/);
  });
});

// --- a run goes on --------------------------------------------------------------------------

/** The ObjectStore port with one key that fails as S3 might (the only stand-in in this file). */
function failingOn(store: ObjectStore, badKey: string): ObjectStore {
  const failingGet = (key: string) =>
    key === badKey
      ? Promise.reject(new Error('InternalError: We encountered an internal error.\nRequestId: 1'))
      : store.get(key);
  // Every other method is the real store's, whatever the port grows.
  return new Proxy(store, {
    get(target, property) {
      if (property === 'get') return failingGet;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a file that throws anything', () => {
  it('is that file’s failure, named; the clean file after it is ingested', async () => {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'rotascope-corpus-'));
    try {
      const raw = new LocalFolderStore(path.join(scratch, 'raw'));
      const curated = new LocalFolderStore(path.join(scratch, 'curated'));
      const bad = 'generic/U60865/shifts/a-bad.csv';
      const clean = 'generic/U60865/shifts/b-clean.csv';
      await raw.put(bad, GENERIC);
      await raw.put(clean, generic('OK-9'));
      const progress: string[] = [];
      const result = await ingestAll({
        engine,
        raw: failingOn(raw, bad),
        curated,
        secrets: new KeyFileSecrets(path.join(scratch, 'key')),
        reference: await bundledReference(),
        mappingsDir: path.join(packageRoot, 'mappings'),
        clock: fixedClock('2026-11-16T09:00:00Z'),
        onProgress: (m) => progress.push(m),
        tmpRoot: scratch,
      });
      expect(result.ingested.map((m) => m.sourceFile)).toEqual([clean]);
      expect(result.failed).toEqual([
        {
          key: bad,
          kind: 'error',
          reason: `${bad}: InternalError: We encountered an internal error.; RequestId: 1`,
          lines: [`${bad}: InternalError: We encountered an internal error.`, 'RequestId: 1'],
        },
      ]);
      expect(progress).toContain(`  failed: ${result.failed[0]?.reason}`);
      expect(progress.at(-1)).toBe(
        '  ingest: 2/2 files (1 ingested, 0 already ingested, 1 failed, 0 ignored)',
      );
      // The scratch copy of the exports is gone, failure or not.
      expect((await readdir(scratch)).filter((n) => n.startsWith('rotascope-ingest-'))).toEqual([]);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

describe('rotascope ingest', () => {
  it('ingests every clean file, lists what it left out, and exits 1', async () => {
    const data = await mkdtemp(path.join(os.tmpdir(), 'rotascope-corpus-cli-'));
    try {
      const raw = new LocalFolderStore(path.join(data, 'raw'));
      await raw.put('generic/U60865/shifts/good.csv', GENERIC);
      await raw.put('generic/U60865/shifts/empty.csv', '');
      await raw.put('generic/u60865/shifts/x.csv', GENERIC);
      await raw.put('generic/U60865/shifts/.DS_Store', 'junk');
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(['ingest', '--data', data], {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        env: { ROTASCOPE_PSEUDONYM_KEY_FILE: path.join(data, 'key') },
      });
      expect(code).toBe(1);
      expect(out).toEqual([
        expect.stringMatching(
          /^generic\/U60865\/shifts\/good\.csv: 1 rows = 1 accepted \+ 0 rejected; /,
        ),
        'failed: Cannot read export generic/U60865/shifts/empty.csv: the file is empty',
        'ignored: generic/u60865/shifts/x.csv: network folder must be a PCN code like U60865 (upper case: U60865)',
        'Ingested 1 files: 1 rows = 1 accepted + 0 rejected; 0 already ingested, 1 failed, 1 ignored',
      ]);
      expect(err.at(-1)).toBe(
        'rotascope ingest: 1 file(s) failed and 1 key(s) ignored (not <source_system>/<network_code>/<shifts|availability>/<file>); every other file was ingested (see above)',
      );
      // The next run skips the clean file and still says what is left out.
      out.length = 0;
      expect(
        await main(['ingest', '--data', data], {
          out: (l) => out.push(l),
          err: () => {},
          env: { ROTASCOPE_PSEUDONYM_KEY_FILE: path.join(data, 'key') },
        }),
      ).toBe(1);
      expect(out.at(-1)).toBe(
        'Ingested 0 files: 0 rows = 0 accepted + 0 rejected; 1 already ingested, 1 failed, 1 ignored',
      );
    } finally {
      await rm(data, { recursive: true, force: true });
    }
  }, 60_000);
});
