import { describe, expect, it } from 'vitest';
import { renderSql } from '../../../src/engine/render-sql.js';

describe('renderSql', () => {
  it('renders {{names}} and refuses unknown ones', () => {
    expect(renderSql('select * from {{ t }}', { t: 'x' })).toBe('select * from x');
    expect(() => renderSql('select * from {{u}}', { t: 'x' })).toThrow('unknown table {{u}}');
  });

  it('indents a replacement of several lines like the line it is put in', () => {
    expect(renderSql('select\n    {{m}}\nfrom t', { m: 'a,\nb' })).toBe(
      'select\n    a,\n    b\nfrom t',
    );
  });
});
