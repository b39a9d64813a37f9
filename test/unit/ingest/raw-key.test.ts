import { describe, expect, it } from 'vitest';
import { isNotAnExport, parseRawKey, whyNotRawKey } from '../../../src/ingest/raw-key.js';

describe('raw keys', () => {
  it('parse where an export belongs', () => {
    expect(parseRawKey('generic/U60865/shifts/2026-11-16.csv')).toEqual({
      sourceSystem: 'generic',
      networkCode: 'U60865',
      kind: 'shifts',
      fileName: '2026-11-16.csv',
    });
    expect(whyNotRawKey('generic/U60865/availability/a.csv')).toBeUndefined();
  });

  it.each([
    [
      'x.csv',
      'the file is at the top of the raw area; exports go in <source_system>/<network_code>/<shifts|availability>/<file>',
    ],
    ['generic/x.csv', 'the file is straight under generic/; exports go in'],
    ['generic/U60865/x.csv', 'the file is straight under generic/U60865/; exports go in'],
    [
      'Generic/U60865/shifts/x.csv',
      "source system folder must be lower case, like generic (the mapping's name), not Generic",
    ],
    ['gen eric/U60865/shifts/x.csv', 'source system folder must be the name of a mapping'],
    [
      'generic/u60865/shifts/x.csv',
      'network folder must be a PCN code like U60865 (upper case: U60865)',
    ],
    ['generic/U-60865/shifts/x.csv', 'network folder must be a PCN code like U60865'],
    [
      'generic/U60865/shift/x.csv',
      'kind folder must be shifts or availability (shifts?), not "shift"',
    ],
    [
      'generic/U60865/Availability/x.csv',
      'kind folder must be shifts or availability (availability?), not "Availability"',
    ],
    ['generic/U60865/rotas/x.csv', 'kind folder must be shifts or availability, not "rotas"'],
    [
      'generic/U60865/shifts/old/x.csv',
      'exports go straight in generic/U60865/shifts/, not in a sub-folder (old/)',
    ],
    ['generic/U60865/shifts/a/b/x.csv', 'not in a sub-folder (a/b/)'],
  ])('%s is not where an export belongs: %s', (key, reason) => {
    expect(parseRawKey(key)).toBeUndefined();
    expect(whyNotRawKey(key)).toContain(reason);
  });

  it.each([
    ['generic/U60865/shifts/', true],
    ['generic/', true],
    ['generic/U60865/shifts/.DS_Store', true],
    ['.DS_Store', true],
    ['generic/U60865/shifts/._x.csv', true],
    ['generic/U60865/shifts/Thumbs.db', true],
    ['generic/U60865/shifts/desktop.ini', true],
    ['generic/U60865/shifts/x.csv', false],
    ['README.txt', false],
  ])('%s is plainly not an export: %s', (key, expected) => {
    expect(isNotAnExport(key)).toBe(expected);
  });
});

describe('the reason a key is ignored', () => {
  it('escapes the parts of the key it repeats', () => {
    expect(whyNotRawKey('generic/U60865/shi\u001bfts/x.csv')).toBe(
      'kind folder must be shifts or availability, not "shi\\x1bfts"',
    );
    expect(whyNotRawKey('generic/U60865/shifts/\u202e/x.csv')).toBe(
      'exports go straight in generic/U60865/shifts/, not in a sub-folder (\\u202e/)',
    );
  });
});
