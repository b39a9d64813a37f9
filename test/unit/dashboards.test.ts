/**
 * Every dashboards/*.vl.json: valid against the JSON schema that ships in the vega-lite package
 * (alone and with dashboards/theme.json bound as its `config`, as the site does at publish time),
 * and compiles to Vega without warnings, taking its data by name.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { packageDir } from '../../src/site/site-assets.js';

type Json = Record<string, unknown>;

const dir = path.join(packageRoot, 'dashboards');
const specFiles = (await readdir(dir)).filter((f) => f.endsWith('.vl.json')).sort();
const readJson = async (file: string): Promise<Json> => JSON.parse(await readFile(file, 'utf8'));
const theme = await readJson(path.join(dir, 'theme.json'));

// Ajv's defaults (strict mode) need two things for this draft-07 schema:
// - `formats`: it uses "uri", "uri-reference" and "color-hex", which Ajv 8 leaves to the
//   ajv-formats package (not a dependency) and otherwise refuses as unknown. Declared here as
//   not checked: none of them decides whether a chart draws (a colour that is not hex still
//   matches the schema's plain-string branch of Color).
// - `strictTypes: false`: the schema puts `minimum`/`maximum` beside `anyOf` without `type` and
//   uses union types (`type: ["string", "null"]`); strictTypes only logs a warning for each of
//   these (hundreds of lines), it does not change what validates.
// Every other strict check (unknown keywords, tuples) stays on. `{ Ajv }`, not the default
// import: under NodeNext the default import of this CommonJS package types as its namespace.
const ajv = new Ajv({
  strictTypes: false,
  formats: { uri: true, 'uri-reference': true, 'color-hex': true },
});
const validate = ajv.compile(
  await readJson(path.join(packageDir('vega-lite'), 'build', 'vega-lite-schema.json')),
);

/** Ajv's errors as one line, or 'No errors', so a failing assertion says what is wrong. */
function schemaErrors(spec: unknown): string {
  return validate(spec) ? 'No errors' : ajv.errorsText(validate.errors, { separator: '\n' });
}

/** The first unit spec (the object holding `mark`) in a spec, searching layers depth first. */
function firstUnit(spec: Json): Json {
  if ('mark' in spec) return spec;
  for (const child of (spec.layer as Json[] | undefined) ?? []) return firstUnit(child);
  throw new Error('spec has no unit with a mark');
}

describe('dashboards/*.vl.json', () => {
  it('has specs', () => {
    expect(specFiles.length).toBeGreaterThanOrEqual(2);
  });

  it.each(specFiles)('%s is valid against the vega-lite JSON schema', async (file) => {
    // Prepare
    const spec = await readJson(path.join(dir, file));

    // Act
    const errors = schemaErrors(spec);

    // Assess
    expect(errors).toBe('No errors');
  });

  it.each(specFiles)('%s is valid with theme.json bound as its config', async (file) => {
    // Prepare: theme keys last, so each one is checked (the spec's own config is checked above).
    const spec = await readJson(path.join(dir, file));
    const themed = { ...spec, config: { ...(spec.config as Json | undefined), ...theme } };

    // Act
    const errors = schemaErrors(themed);

    // Assess
    expect(errors).toBe('No errors');
  });

  it('rejects a spec with a mistyped mark or an unknown encoding channel', async () => {
    // Prepare
    const original = await readJson(path.join(dir, specFiles[0] as string));
    const typoMark = structuredClone(original);
    const unit = firstUnit(typoMark);
    unit.mark = typeof unit.mark === 'object' ? { ...(unit.mark as Json), type: 'lin' } : 'lin';
    const unknownChannel = structuredClone(original);
    const other = firstUnit(unknownChannel);
    other.encoding = { ...(other.encoding as Json | undefined), colour: { value: 'red' } };

    // Act
    const typoErrors = schemaErrors(typoMark);
    const channelErrors = schemaErrors(unknownChannel);

    // Assess
    expect(schemaErrors(original)).toBe('No errors');
    expect(typoErrors).toMatch(/mark must be equal to constant/);
    expect(channelErrors).toMatch(/encoding must NOT have additional properties/);
  });

  it.each(specFiles)(
    '%s compiles to Vega, takes data by name and describes itself',
    async (file) => {
      const spec = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
      expect(spec.data?.name).toMatch(/^[a-z_]+$/);
      expect(typeof spec.description).toBe('string');
      const warnings: string[] = [];
      const logger = {
        level: () => logger,
        error: (...m: unknown[]) => {
          throw new Error(String(m));
        },
        warn: (...m: unknown[]) => {
          warnings.push(String(m));
          return logger;
        },
        info: () => logger,
        debug: () => logger,
      };
      const { spec: vega } = compile(spec, { logger: logger as never });
      expect(vega.marks?.length).toBeGreaterThan(0);
      expect(warnings).toEqual([]);
    },
  );
});

describe('dashboards/network-ytd.vl.json, drawn', () => {
  /** Four weeks of a network's ytd rows, with these budget columns. */
  const weeks = (budget: number | null, agencyBudget: number | null) =>
    ['2026-08-24', '2026-08-31', '2026-09-07', '2026-09-14'].map((week_start, i) => ({
      week_start,
      ytd_spend_pence: (i + 1) * 4_700_000,
      ytd_agency_pence: (i + 1) * 600_000,
      projected_outturn_pence: 150_000_000 + i * 100_000,
      budget_pence: budget,
      agency_budget_pence: agencyBudget,
    }));

  /** Draw the themed spec on `rows` (as the site does, data by name); its warnings and lines. */
  async function draw(rows: Json[]) {
    const spec = { ...(await readJson(path.join(dir, 'network-ytd.vl.json'))), config: theme };
    const warnings: string[] = [];
    const logger = {
      level: () => logger,
      error: (...m: unknown[]) => warnings.push(`error: ${m.join(' ')}`) && logger,
      warn: (...m: unknown[]) => warnings.push(m.join(' ')) && logger,
      info: () => logger,
      debug: () => logger,
    };
    const { spec: compiled } = compile({ ...spec, width: 600, datasets: { ytd: rows } } as never, {
      logger: logger as never,
    });
    const view = new View(parse(compiled), { renderer: 'none', logger: logger as never });
    await view.runAsync();
    const svg = await view.toSVG();
    view.finalize();
    return {
      warnings,
      legends: compiled.legends?.length ?? 0,
      lines: view.scale('color').domain() as string[],
      dashes: view.scale('strokeDash').domain() as string[],
      svg,
    };
  }

  it('draws spent and projected, with one legend and no warning, when no budget is set', async () => {
    // The old spec's budget rule took max(budget) over no rows: "Infinite extent for field
    // "max_budget_pounds"" on every network page without a budget.
    const drawn = await draw(weeks(null, null));
    expect(drawn.warnings).toEqual([]);
    expect(drawn.legends).toBe(1);
    expect(drawn.lines).toEqual(['Spent so far', 'Projected outturn']);
    expect(drawn.dashes).toEqual(drawn.lines);
    expect(drawn.svg).toContain('>Projected outturn</text>');
    expect(drawn.svg).not.toContain('>Budget</text>');
  });

  it('adds the budget line, then agency spend and the agency budget, each in the legend', async () => {
    const budget = await draw(weeks(200_000_000, null));
    const agency = await draw(weeks(200_000_000, 20_000_000));
    expect([budget.warnings, agency.warnings]).toEqual([[], []]);
    expect(budget.lines).toEqual(['Spent so far', 'Projected outturn', 'Budget']);
    expect(agency.lines).toEqual([
      'Spent so far',
      'Projected outturn',
      'Budget',
      'Agency so far',
      'Agency budget',
    ]);
    for (const line of agency.lines) expect(agency.svg).toContain(`>${line}</text>`);
  });
});
