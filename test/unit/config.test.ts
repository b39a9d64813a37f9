import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, packageRoot, parseLocation } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

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

  it('names the setting that is wrong', () => {
    expect(() => loadConfig({ ROTASCOPE_DEMO_WEEKS: '3' }, {}, cwd)).toThrow(
      /^Environment variable ROTASCOPE_DEMO_WEEKS is invalid/,
    );
    expect(() => loadConfig({ ROTASCOPE_S3_ENDPOINT: 'not a url' }, {}, cwd)).toThrow(ConfigError);
    expect(() => loadConfig({}, { weeks: 200 }, cwd)).toThrow(
      'Demo weeks must be a whole number from 12 to 104, got 200',
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
