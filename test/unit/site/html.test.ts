import { describe, expect, it } from 'vitest';
import { escapeHtml, fillTemplate, jsonForScript } from '../../../src/site/html.js';

describe('html helpers', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<script>alert(1)</script> & "Co" 'x'`)).toBe(
      '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot; &#39;x&#39;',
    );
    expect(escapeHtml(null)).toBe('');
  });

  it('embeds JSON that cannot close its script element', () => {
    const json = jsonForScript({ name: '</script><script>alert(1)</script>' });
    expect(json).not.toContain('<');
    expect(JSON.parse(json)).toEqual({ name: '</script><script>alert(1)</script>' });
  });

  it('fills template slots and refuses a missing one', () => {
    expect(fillTemplate('<h1>{{title}}</h1>', { title: 'Hi' })).toBe('<h1>Hi</h1>');
    expect(() => fillTemplate('{{body}}', {})).toThrow('Template slot {{body}} has no value');
  });
});
