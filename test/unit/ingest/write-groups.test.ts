import { describe, expect, it } from 'vitest';
import { writeGroups } from '../../../src/ingest/write-curated.js';

const p = (name: string, rows: number) => ({ name, rows });
const names = (groups: { name: string }[][]) => groups.map((g) => g.map((x) => x.name).join(''));

describe('writeGroups', () => {
  it('keeps consecutive partitions together up to the limit, in order', () => {
    expect(names(writeGroups([p('a', 3), p('b', 4), p('c', 2), p('d', 5)], 7))).toEqual([
      'ab',
      'cd',
    ]);
    expect(names(writeGroups([p('a', 3), p('b', 4), p('c', 2), p('d', 5)], 5))).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(names(writeGroups([p('a', 3), p('b', 4), p('c', 2), p('d', 5)], 9))).toEqual([
      'abc',
      'd',
    ]);
  });

  it('writes everything in one group when it fits, and nothing for no partitions', () => {
    expect(names(writeGroups([p('a', 1), p('b', 1)], 200_000))).toEqual(['ab']);
    expect(writeGroups([], 10)).toEqual([]);
  });

  it('gives a partition larger than the limit a group of its own, never splitting it', () => {
    expect(names(writeGroups([p('a', 2), p('b', 50), p('c', 2)], 10))).toEqual(['a', 'b', 'c']);
  });
});
