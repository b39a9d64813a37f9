import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseLocation } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { packageRoot } from '../../src/package-root.js';

const cwd = '/work/project';

describe('loadConfig', () => {
  it('defaults to the local folders the quick start uses', () => {
    const config = loadConfig({}, {}, cwd);
    expect(config.raw).toEqual({ kind: 'local', root: '/work/project/local/raw' });
    expect(config.curated).toEqual({ kind: 'local', root: '/work/project/local/curated' });
    expect(config.site).toEqual({ kind: 'local', root: '/work/project/site' });
    expect(config.pseudonymKey).toEqual({
      kind: 'file',
      path: '/work/project/local/keys/pseudonym.key',
    });
    expect(config.referenceDir).toBe(path.join(packageRoot, 'data', 'reference'));
    expect(config.demo).toEqual({ seed: 20260406, weeks: 14 });
    expect(config.aws).toEqual({ region: 'eu-west-2', endpoint: undefined });
  });

  it('reads the ARRS rates shipped unless a file is named, and the WTE hours', () => {
    const shipped = loadConfig({}, {}, cwd).metrics;
    expect([shipped.arrsRatesFile, shipped.arrsWteHours]).toEqual([
      path.join(packageRoot, 'data', 'arrs', 'max-reimbursable.csv'),
      37.5,
    ]);
    const set = loadConfig(
      { ROTASCOPE_ARRS_RATES_FILE: 'conf/arrs.csv', ROTASCOPE_ARRS_WTE_HOURS: '36' },
      {},
      cwd,
    ).metrics;
    expect([set.arrsRatesFile, set.arrsWteHours]).toEqual(['/work/project/conf/arrs.csv', 36]);
    expect(loadConfig({ ROTASCOPE_ARRS_WTE_HOURS: ' ' }, {}, cwd).metrics.arrsWteHours).toBe(37.5);
    expect(() => loadConfig({ ROTASCOPE_ARRS_WTE_HOURS: '0' }, {}, cwd)).toThrow(
      /ROTASCOPE_ARRS_WTE_HOURS is invalid/,
    );
  });

  it('reads S3 locations and the key parameter from the environment', () => {
    const config = loadConfig(
      {
        ROTASCOPE_RAW: 's3://rotascope-raw/exports/',
        ROTASCOPE_CURATED: 's3://rotascope-curated',
        ROTASCOPE_PSEUDONYM_KEY_PARAMETER: '/rotascope/pseudonym-key',
        AWS_REGION: 'eu-west-1',
      },
      {},
      cwd,
    );
    expect(config.raw).toEqual({ kind: 's3', bucket: 'rotascope-raw', prefix: 'exports/' });
    expect(config.curated).toEqual({ kind: 's3', bucket: 'rotascope-curated', prefix: '' });
    expect(config.pseudonymKey).toEqual({ kind: 'ssm', parameterName: '/rotascope/pseudonym-key' });
    expect(config.aws.region).toBe('eu-west-1');
  });

  it('lets command-line overrides win over the environment', () => {
    const config = loadConfig(
      { ROTASCOPE_DATA_DIR: 'elsewhere', ROTASCOPE_DEMO_WEEKS: '20' },
      { dataDir: 'mine', weeks: 13 },
      cwd,
    );
    expect(config.raw).toEqual({ kind: 'local', root: '/work/project/mine/raw' });
    expect(config.demo.weeks).toBe(13);
  });

  it('reads the plausible shift dates, blank meaning the default', () => {
    expect(loadConfig({}, {}, cwd).dateWindow).toEqual({
      earliest: '2015-01-01',
      maxDaysAhead: 400,
    });
    expect(
      loadConfig(
        { ROTASCOPE_EARLIEST_SHIFT_DATE: '2020-04-01', ROTASCOPE_MAX_DAYS_AHEAD: '90' },
        {},
        cwd,
      ).dateWindow,
    ).toEqual({ earliest: '2020-04-01', maxDaysAhead: 90 });
    expect(
      loadConfig({ ROTASCOPE_EARLIEST_SHIFT_DATE: ' ', ROTASCOPE_MAX_DAYS_AHEAD: '' }, {}, cwd)
        .dateWindow,
    ).toEqual({ earliest: '2015-01-01', maxDaysAhead: 400 });
    expect(() => loadConfig({ ROTASCOPE_EARLIEST_SHIFT_DATE: '01/01/2015' }, {}, cwd)).toThrow(
      /^Environment variable ROTASCOPE_EARLIEST_SHIFT_DATE is invalid: use YYYY-MM-DD/,
    );
    // One version kept would delete the one the edge may still serve for its pointer cache.
    expect(() => loadConfig({ ROTASCOPE_SITE_KEEP_VERSIONS: '1' }, {}, cwd)).toThrow(
      /^Environment variable ROTASCOPE_SITE_KEEP_VERSIONS is invalid/,
    );
    expect(loadConfig({ ROTASCOPE_SITE_KEEP_VERSIONS: '2' }, {}, cwd).siteKeepVersions).toBe(2);
    expect(() => loadConfig({ ROTASCOPE_MAX_DAYS_AHEAD: '-1' }, {}, cwd)).toThrow(
      /^Environment variable ROTASCOPE_MAX_DAYS_AHEAD is invalid/,
    );
  });

  it('names the setting that is wrong', () => {
    expect(() => loadConfig({ ROTASCOPE_DEMO_WEEKS: '3' }, {}, cwd)).toThrow(
      /^Environment variable ROTASCOPE_DEMO_WEEKS is invalid/,
    );
    expect(() => loadConfig({ ROTASCOPE_S3_ENDPOINT: 'not a url' }, {}, cwd)).toThrow(ConfigError);
    expect(() => loadConfig({}, { weeks: 200 }, cwd)).toThrow(
      'Demo weeks must be a whole number from 12 to 104, got 200',
    );
  });

  it('computes metrics with DuckDB unless told to use Athena, which needs its workgroup and database', () => {
    const athenaEnv = {
      ROTASCOPE_CURATED: 's3://rotascope-curated',
      ROTASCOPE_ATHENA_WORKGROUP: 'rotascope-prod',
      ROTASCOPE_ATHENA_DATABASE: 'rotascope_prod',
    };
    expect(loadConfig({}, {}, cwd).engine).toEqual({ kind: 'duckdb' });
    expect(loadConfig({ ...athenaEnv, ROTASCOPE_ENGINE: 'athena' }, {}, cwd).engine).toEqual({
      kind: 'athena',
      workGroup: 'rotascope-prod',
      database: 'rotascope_prod',
      timeoutMs: 600_000,
    });
    // The command line wins, both ways.
    expect(
      loadConfig({ ...athenaEnv, ROTASCOPE_ENGINE: 'athena' }, { engine: 'duckdb' }, cwd).engine,
    ).toEqual({ kind: 'duckdb' });
    expect(
      loadConfig(
        { ...athenaEnv, ROTASCOPE_ATHENA_TIMEOUT_SECONDS: '90' },
        { engine: 'athena' },
        cwd,
      ).engine,
    ).toMatchObject({ timeoutMs: 90_000 });
  });

  it('says what the Athena engine is missing', () => {
    expect(() => loadConfig({ ROTASCOPE_ENGINE: 'athena' }, {}, cwd)).toThrow(
      /needs ROTASCOPE_ATHENA_WORKGROUP and ROTASCOPE_ATHENA_DATABASE/,
    );
    expect(() =>
      loadConfig(
        {
          ROTASCOPE_ENGINE: 'athena',
          ROTASCOPE_ATHENA_WORKGROUP: 'wg',
          ROTASCOPE_ATHENA_DATABASE: 'Rotascope-Prod',
        },
        {},
        cwd,
      ),
    ).toThrow(
      'ROTASCOPE_ATHENA_DATABASE must be a Glue database name (a-z, 0-9, _), got "Rotascope-Prod"',
    );
    expect(() =>
      loadConfig(
        {
          ROTASCOPE_ENGINE: 'athena',
          ROTASCOPE_ATHENA_WORKGROUP: 'wg',
          ROTASCOPE_ATHENA_DATABASE: 'db',
        },
        {},
        cwd,
      ),
    ).toThrow(/in S3: set ROTASCOPE_CURATED to the stack's curated bucket/);
    expect(() => loadConfig({ ROTASCOPE_ENGINE: 'spark' }, {}, cwd)).toThrow(
      /^Environment variable ROTASCOPE_ENGINE is invalid/,
    );
  });

  it('parses locations', () => {
    expect(parseLocation('./data', cwd)).toEqual({ kind: 'local', root: '/work/project/data' });
    expect(parseLocation('s3://b-1/a/b', cwd)).toEqual({
      kind: 's3',
      bucket: 'b-1',
      prefix: 'a/b/',
    });
    expect(() => parseLocation('s3://', cwd)).toThrow('Not a valid S3 location: s3://');
  });
});
