import { describe, expect, it } from 'vitest';
import { DELIVERIES, ENGAGEMENTS, ROLES, SESSION_TYPES, STATUSES } from '../../src/domain.js';
import { label, REASON_LABELS, ROLE_LABELS } from '../../src/labels.js';

describe('label', () => {
  it('has a plain-English label for every code of the contract', () => {
    for (const role of ROLES) expect(label('role', role)).not.toContain('_');
    for (const e of ENGAGEMENTS) expect(label('engagement', e)).toMatch(/^[A-Z]/);
    for (const s of STATUSES) expect(label('status', s)).toMatch(/^[A-Z]/);
    for (const s of SESSION_TYPES) expect(label('session', s)).not.toContain('_');
    for (const d of DELIVERIES) expect(label('delivery', d)).not.toContain('_');
    expect(Object.keys(ROLE_LABELS).sort()).toEqual([...ROLES].sort());
  });

  it('reads the known words', () => {
    expect(label('role', 'clinical_pharmacist')).toBe('Clinical pharmacist');
    expect(label('role', 'gp')).toBe('GP');
    expect(label('role', 'hca')).toBe('Healthcare assistant');
    expect(label('reason', 'non_positive_hours')).toBe('Shift of zero or negative length');
    expect(Object.values(REASON_LABELS).every((l) => /^[A-Z]/.test(l))).toBe(true);
  });

  it('falls back to readable words for a code it does not know, never empty', () => {
    expect(label('role', 'space_doctor')).toBe('Space doctor');
    expect(label('reason', null)).toBe('Not given');
    expect(label('engagement', '')).toBe('Not given');
  });
});
