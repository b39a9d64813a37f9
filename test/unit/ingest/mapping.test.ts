import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { formatOfFile, loadMapping, parseMapping } from '../../../src/ingest/mapping.js';
import { packageRoot } from '../../../src/package-root.js';

/** A valid shifts mapping to break one piece at a time. */
const base = () => ({
  name: 'acme',
  description: 'test system',
  shifts: {
    formats: { csv: {} },
    fields: {
      shift_id: { column: 'id' },
      practice_code: { column: 'site' },
      role: { column: 'role' },
      status: { column: 'status' },
      date: { column: 'day' },
      start_time: { column: 'from' },
      end_time: { column: 'to' },
    } as Record<string, unknown>,
  },
});
const problems = (mapping: unknown) => {
  try {
    parseMapping('acme.json', JSON.stringify(mapping));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return 'valid';
};

describe('source mapping files', () => {
  it('accept every shipped mapping with its lookups', async () => {
    for (const name of ['generic', 'rotacloud', 'deputy', 'wheniwork']) {
      const mapping = await loadMapping(path.join(packageRoot, 'mappings'), name);
      expect(mapping.name).toBe(name);
    }
    const rotacloud = await loadMapping(path.join(packageRoot, 'mappings'), 'rotacloud');
    expect(rotacloud.lookups.locations?.rows.get('190')).toEqual([
      '190',
      'F84025',
      'remote',
      'Network 7 remote clinics (hosted by Gough Walk)',
    ]);
  });

  it('accept the small valid example', () => {
    expect(problems(base())).toBe('valid');
  });

  it.each([
    [
      'an unknown field',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.colour = { column: 'c' };
      },
      'shifts.fields.colour: unknown field; fields are shift_id, practice_code',
    ],
    [
      'both column and const',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.role = { column: 'role', const: 'gp' };
      },
      'shifts.fields.role: give exactly one of "column", "const" or "cases"',
    ],
    [
      'a unit on a field that is not a number',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.status = { column: 'status', unit: 'hours' };
      },
      'shifts.fields.status: "unit" does not apply to this field',
    ],
    [
      'a unit the field does not know',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.cost = { column: 'cost', unit: 'euros' };
      },
      'shifts.fields.cost: "euros" is not one of pounds, pence',
    ],
    [
      'a decimal mark on a field that is not a number',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.date = { column: 'day', decimal: ',' };
      },
      'shifts.fields.date: "decimal" only applies to number fields',
    ],
    [
      'a decimal mark on a duration',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.break = { column: 'break', unit: 'duration', decimal: ',' };
      },
      'shifts.fields.break: "decimal" does not apply to a duration (H:MM)',
    ],
    [
      'a decimal mark on a clock-time break',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.break = { column: 'break', unit: 'clock', decimal: ',' };
      },
      'shifts.fields.break: "decimal" does not apply to a duration (H:MM)',
    ],
    [
      '"zero_is_unknown" on a field that is not a number',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.role = { column: 'role', zero_is_unknown: true };
      },
      'shifts.fields.role: "zero_is_unknown" only applies to number fields',
    ],
    [
      '"when_empty" without a column',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.role = { const: 'gp', when_empty: 'other' };
      },
      'shifts.fields.role: "when_empty" goes with "column"',
    ],
    [
      'a decimal mark that is neither point nor comma',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.cost = { column: 'cost', decimal: ';' };
      },
      'shifts.fields.cost.decimal:',
    ],
    [
      'a timestamp format it does not know',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.exported_at = { column: 'x', format: 'unix_millis' };
      },
      '"unix_millis" is not one of auto, unix_seconds, excel_serial',
    ],
    [
      'a lookup that is not declared',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.practice_code = { column: 'site', lookup: 'sites', value: 'practice_code' };
      },
      'shifts.fields.practice_code.lookup: no lookup named "sites" in "lookups"',
    ],
    [
      'a missing required field',
      (m: ReturnType<typeof base>) => {
        delete m.shifts.fields.status;
      },
      'shifts.fields.status: is required',
    ],
    [
      'times given two ways',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.start_at = { column: 'a' };
        m.shifts.fields.end_at = { column: 'b' };
      },
      'give the shift times either as date + start_time + end_time',
    ],
    [
      'no times at all',
      (m: ReturnType<typeof base>) => {
        delete m.shifts.fields.date;
      },
      'give the shift times either as date + start_time + end_time',
    ],
    [
      'a case with neither equals nor empty',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.status = { cases: [{ when: { column: 'x' }, value: 'filled' }] };
      },
      'give exactly one of "equals" or "empty": true',
    ],
    [
      '"optional" on a field every row needs',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.status = { column: 'status', optional: true };
      },
      'shifts.fields.status.optional: every row needs this field, so its column cannot be optional',
    ],
    [
      '"optional" on a constant',
      (m: ReturnType<typeof base>) => {
        m.shifts.fields.engagement = { const: 'locum', optional: true };
      },
      'shifts.fields.engagement: "optional" goes with "column" or "cases", not "const"',
    ],
  ])('refuse %s, saying where and why', (_name, breakIt, message) => {
    const m = base();
    breakIt(m);
    const text = problems(m);
    expect(text).toContain('Mapping acme.json is not valid:');
    expect(text).toContain(message);
  });

  it('say every problem, one line per path', () => {
    const m = base();
    m.shifts.fields.cost = { column: 'cost', unit: 'gbp' };
    m.shifts.fields.break = { column: 'break', unit: 'mins' };
    delete m.shifts.fields.role;
    expect(problems(m).split('\n')).toEqual([
      'Mapping acme.json is not valid:',
      '  shifts.fields.cost: "gbp" is not one of pounds, pence',
      '  shifts.fields.break: "mins" is not one of minutes, hours, duration, clock',
      '  shifts.fields.role: is required',
    ]);
  });

  it('accept an optional column and other person-id columns', () => {
    const m = base() as ReturnType<typeof base> & { shifts: { person_columns?: string[] } };
    m.shifts.fields.break = { column: 'Break (mins)', unit: 'minutes', optional: true };
    m.shifts.person_columns = ['Payroll No'];
    expect(problems(m)).toBe('valid');
  });

  it('refuse JSON that does not parse, and a file named differently from its mapping', () => {
    expect(() => parseMapping('acme.json', '{ "name": ')).toThrow(
      /Mapping acme\.json is not valid JSON/,
    );
    expect(() => parseMapping('other.json', JSON.stringify(base()))).toThrow(
      'Mapping other.json is named "acme"; the file must be acme.json',
    );
  });

  describe('lookup tables', () => {
    let dir: string;
    const withLookup = (csv: string) => ({
      ...base(),
      lookups: { sites: { file: 'sites.csv', key: 'site_id' } },
      shifts: {
        ...base().shifts,
        fields: {
          ...base().shifts.fields,
          practice_code: { column: 'site', lookup: 'sites', value: 'practice_code' },
        },
      },
      csv,
    });
    const load = async (csv: string) => {
      const { csv: text, ...mapping } = withLookup(csv);
      await writeFile(path.join(dir, 'acme.json'), JSON.stringify(mapping));
      await writeFile(path.join(dir, 'sites.csv'), text);
      return loadMapping(dir, 'acme');
    };
    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-mapping-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('match source values trimmed and ignoring case', async () => {
      const mapping = await load('site_id,practice_code\n Main Site ,F84025\n');
      expect(mapping.lookups.sites?.rows.get('main site')).toEqual(['Main Site', 'F84025']);
    });

    it('refuse a value listed twice, a missing key column and a missing value column', async () => {
      await expect(load('site_id,practice_code\nA,F84025\na,F84054\n')).rejects.toThrow(
        /lists "a" twice \(line 3\)/,
      );
      await expect(load('id,practice_code\nA,F84025\n')).rejects.toThrow(
        /has no key column "site_id" \(columns: id, practice_code\)/,
      );
      await expect(load('site_id,code\nA,F84025\n')).rejects.toThrow(
        /has no column "practice_code"/,
      );
    });

    it('say which mapping is missing', async () => {
      await expect(loadMapping(dir, 'nobody')).rejects.toThrow(
        /No mapping for source system "nobody": .*nobody\.json not found/,
      );
    });
  });

  it('pick the reader from the file extension', () => {
    expect(formatOfFile('a/b/rota.CSV')).toBe('csv');
    expect(formatOfFile('rota.xlsx')).toBe('xlsx');
    expect(formatOfFile('shifts.json')).toBe('json');
    expect(formatOfFile('rota.xls')).toBeUndefined();
  });
});
