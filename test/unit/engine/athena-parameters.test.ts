/**
 * `$name` parameters as Athena's positional `?` and parameter literals: quoting, repeated and
 * missing names, and `$` inside strings, quoted identifiers and comments.
 */
import { describe, expect, it } from 'vitest';
import { athenaLiteral, positionalParameters } from '../../../src/engine/athena-parameters.js';

describe('positionalParameters', () => {
  it('turns each $name into ? in order of appearance, a repeated name twice', () => {
    expect(positionalParameters('select $b, $a from t where x = $b', { a: 1, b: 'two' })).toEqual({
      sql: 'select ?, ? from t where x = ?',
      values: ["'two'", '1', "'two'"],
    });
  });

  it('leaves $ alone in string literals, quoted identifiers and comments', () => {
    const sql = [
      "select '$a' as s, 'it''s $a' as t, \"$a col\", $a",
      '-- $b is not a parameter here',
      '/* nor $b here */ from t',
    ].join('\n');
    expect(positionalParameters(sql, { a: 5 })).toEqual({
      sql: [
        "select '$a' as s, 'it''s $a' as t, \"$a col\", ?",
        '-- $b is not a parameter here',
        '/* nor $b here */ from t',
      ].join('\n'),
      values: ['5'],
    });
  });

  it('needs no parameters for SQL without placeholders', () => {
    expect(positionalParameters("select '$x'")).toEqual({ sql: "select '$x'", values: [] });
  });

  it('refuses a placeholder without a value, a value without a placeholder, and a bare ?', () => {
    expect(() => positionalParameters('select $a, $b', { a: 1 })).toThrow(
      'SQL uses $b but no value was given for it',
    );
    expect(() => positionalParameters('select $a', { a: 1, weeks: 4, other: null })).toThrow(
      'Parameters not used in the SQL: $weeks, $other',
    );
    expect(() => positionalParameters("select '$a'", { a: 1 })).toThrow(
      'Parameters not used in the SQL: $a',
    );
    expect(() => positionalParameters('select ? from t')).toThrow('SQL has a bare ?');
    expect(positionalParameters("select '?' -- why?")).toEqual({
      sql: "select '?' -- why?",
      values: [],
    });
  });

  it('does not take a property of Object.prototype for a value', () => {
    expect(() => positionalParameters('select $toString', {})).toThrow(
      'SQL uses $toString but no value was given',
    );
  });
});

describe('athenaLiteral', () => {
  it('quotes strings, doubling quotes (never interpolated into the SQL)', () => {
    expect(athenaLiteral("O'Brien", 'name')).toBe("'O''Brien'");
    expect(athenaLiteral("'; drop table shifts; --", 'name')).toBe("'''; drop table shifts; --'");
    expect(athenaLiteral('', 'name')).toBe("''");
  });

  it('writes integers as they are and fractions as double literals', () => {
    expect(athenaLiteral(4, 'n')).toBe('4');
    expect(athenaLiteral(-12, 'n')).toBe('-12');
    expect(athenaLiteral(0.5, 'n')).toBe('5E-1');
    expect(athenaLiteral(37.25, 'n')).toBe('3.725E+1');
  });

  it('writes booleans and NULL as keywords', () => {
    expect(athenaLiteral(true, 'b')).toBe('true');
    expect(athenaLiteral(false, 'b')).toBe('false');
    expect(athenaLiteral(null, 'b')).toBe('NULL');
  });

  it('refuses numbers that are not finite', () => {
    expect(() => athenaLiteral(Number.NaN, 'rate')).toThrow('Parameter $rate: NaN is not a finite');
    expect(() => athenaLiteral(Number.POSITIVE_INFINITY, 'rate')).toThrow('not a finite number');
  });
});

describe("Athena's 1,024 characters per execution parameter", () => {
  it('writes a string whose literal fits, and refuses a longer one before anything is sent', () => {
    expect(athenaLiteral('x'.repeat(1022), 'note')).toHaveLength(1024);
    expect(() => athenaLiteral('x'.repeat(1023), 'note')).toThrow(
      'Parameter $note: its literal is 1025 characters; Athena takes at most 1024',
    );
    // Doubled quotes count: 600 quotes are a 1,202-character literal.
    expect(() => athenaLiteral("'".repeat(600), 'note')).toThrow('its literal is 1202 characters');
  });
});
