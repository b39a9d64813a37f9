import { describe, expect, it } from 'vitest';
import { displayName } from '../../../src/site/display-name.js';

describe('displayName', () => {
  it('puts capitals in title case, keeping acronyms and small words', () => {
    expect(displayName('TOWER HAMLETS NETWORK 7 PCN')).toBe('Tower Hamlets Network 7 PCN');
    expect(displayName('THE CHRISP STREET HTH CTR')).toBe('The Chrisp Street Hth Ctr');
    expect(displayName('BOW AND POPLAR NHS GP SURGERY')).toBe('Bow and Poplar NHS GP Surgery');
    expect(displayName('ST. MARY-LE-BOW (EAST)')).toBe('St. Mary-Le-Bow (East)');
  });

  it('leaves a name that already has lower case alone', () => {
    expect(displayName('Hill Network')).toBe('Hill Network');
  });
});
