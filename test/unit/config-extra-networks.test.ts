/**
 * ROTASCOPE_EXTRA_NETWORKS: the allow-list of PCN codes the reference data does not know yet
 * (docs/configuration.md). Kept apart from config.test.ts: one setting, its own cases.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig, parseNetworkList } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

describe('ROTASCOPE_EXTRA_NETWORKS', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['U99001', ['U99001']],
    ['u99002, U99001;U99001  U99003', ['U99001', 'U99002', 'U99003']],
  ] as const)('%j -> %j', (value, codes) => {
    expect(parseNetworkList(value)).toEqual(codes);
  });

  it.each(['U9900', 'U999999', 'X99001', '<b>U99001</b>', 'QMF'])('refuses %j', (value) => {
    expect(() => parseNetworkList(value)).toThrow(ConfigError);
    expect(() => parseNetworkList(value)).toThrow(/PCN codes like U60865/);
  });

  it('reaches the config, empty by default', () => {
    expect(loadConfig({}, {}, '/work/project').extraNetworks).toEqual([]);
    expect(
      loadConfig({ ROTASCOPE_EXTRA_NETWORKS: 'U99001,u99002' }, {}, '/work/project').extraNetworks,
    ).toEqual(['U99001', 'U99002']);
  });
});
