/**
 * HTML helpers. Every data-derived string goes through `escapeHtml`; JSON embedded in a page goes
 * through `jsonForScript` so a value can never close the <script> element it sits in.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ESCAPES[ch] as string);
}

export function jsonForScript(
  value: unknown,
  replacer?: (key: string, value: unknown) => unknown,
): string {
  return JSON.stringify(value, replacer)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Fill `{{name}}` slots of a trusted template with already-safe HTML. */
export function fillTemplate(template: string, slots: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{([a-z]+)\}\}/g, (_m, name: string) => {
    const value = slots[name];
    if (value === undefined) throw new Error(`Template slot {{${name}}} has no value`);
    return value;
  });
}
