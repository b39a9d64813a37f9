/** coversColumn (write-curated.ts): which export columns a mapping's person or private column covers in the rejects. */
import { describe, expect, it } from 'vitest';
import { coversColumn } from '../../../src/ingest/write-curated.js';

describe('coversColumn', () => {
  it('covers the column in any spelling, its repeats and a JSON object’s fields', () => {
    for (const column of ['person_id', ' Person ID ', 'PERSON-ID', 'person_id_2', 'PersonId_3'])
      expect(coversColumn('person_id', column), column).toBe(true);
    for (const column of ['user', 'user.id', 'user.name', 'User_2'])
      expect(coversColumn('user', column), column).toBe(true);
  });

  it('does not cover other columns', () => {
    for (const column of ['person', 'person_ids', 'user_id_ref', 'username', 'users.id'])
      expect(coversColumn(column.startsWith('user') ? 'user' : 'person_id', column), column).toBe(
        false,
      );
  });
});
