/** Small Markdown helpers for the report: table cells, inline code, fences, times. */

/** A table cell: no pipes or line breaks to break the row. */
export function cell(value: string | number | null): string {
  if (value === null || value === '') return '—';
  const text = String(value);
  // Most cells (a status, a fingerprint) need nothing: a long history has thousands of them.
  if (!/[\\|\n]/.test(text)) return text;
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
}

/** Inline code that survives backticks in the value. */
export function code(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return longest ? `${fence} ${value} ${fence}` : `${fence}${value}${fence}`;
}

export function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** "2025-01-06 10:31:05 UTC" */
export function utc(isoTime: string): string {
  return `${isoTime.slice(0, 10)} ${isoTime.slice(11, 19)} UTC`;
}

export function ms(value: number | null): string {
  if (value === null) return '—';
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`;
}
