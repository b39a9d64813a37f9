import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { KeyFileSecrets } from '../../src/ingest/pseudonymise.js';
import { SsmSecrets } from '../../src/ingest/ssm-secrets.js';
import { openRuntime } from '../../src/pipeline.js';

const cwd = '/work/project';
const clock = fixedClock('2026-04-06T00:00:00Z');
const log = () => {};

describe('openRuntime', () => {
  it('reads the pseudonymisation key from the key file by default', () => {
    const rt = openRuntime(loadConfig({}, {}, cwd), clock, log);
    expect(rt.secrets).toBeInstanceOf(KeyFileSecrets);
    expect((rt.secrets as KeyFileSecrets).file).toBe('/work/project/local/keys/pseudonym.key');
  });

  it('reads it from SSM when a key parameter is set, without calling SSM yet', () => {
    const config = loadConfig(
      { ROTASCOPE_PSEUDONYM_KEY_PARAMETER: '/aws/reference/secretsmanager/rotascope-key' },
      {},
      cwd,
    );
    const rt = openRuntime(config, clock, log);
    expect(rt.secrets).toBeInstanceOf(SsmSecrets);
    expect((rt.secrets as SsmSecrets).parameterName).toBe(
      '/aws/reference/secretsmanager/rotascope-key',
    );
  });
});
