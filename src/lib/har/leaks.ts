/**
 * The last gate before a sanitized HAR is handed out: search the whole output, every string and
 * every key, for every secret that was found, in every form (raw, URL-encoded, JSON-escaped,
 * base64 at any alignment). Anything found is a leak; the sanitizer then refuses.
 */
import type { LeakReport } from './contract.ts';
import { escapeRegExp, searchForms } from './encodings.ts';
import { MIN_GLOBAL_SECRET_LENGTH } from './secretFields.ts';

interface Needle {
  what: string;
  form: string;
}

export class LeakSearch {
  readonly #pattern: RegExp | null;
  readonly #needles = new Map<string, Needle>();

  /** `secrets`: value → what it is. Values under MIN_GLOBAL_SECRET_LENGTH are not searched. */
  constructor(secrets: Map<string, string>) {
    for (const [value, what] of secrets) {
      if (value.length < MIN_GLOBAL_SECRET_LENGTH) continue;
      for (const form of searchForms(value)) {
        if (!this.#needles.has(form.text)) this.#needles.set(form.text, { what, form: form.name });
      }
    }
    const texts = [...this.#needles.keys()].sort((a, b) => b.length - a.length);
    this.#pattern = texts.length ? new RegExp(texts.map(escapeRegExp).join('|'), 'g') : null;
  }

  /** The first secret found in `text`, or null. */
  find(text: string): Needle | null {
    if (!this.#pattern) return null;
    this.#pattern.lastIndex = 0;
    const match = this.#pattern.exec(text);
    return match ? (this.#needles.get(match[0]) ?? null) : null;
  }

  /** Every string and key in `root`, with a path such as `log.entries[3].response.headers[2].value`. */
  findAll(root: unknown, limit = 50): LeakReport[] {
    // One pass over the file exactly as it will be written; only a hit pays for the walk
    // that names the places.
    const whole = this.find(JSON.stringify(root) ?? '');
    if (!whole) return [];
    const leaks: LeakReport[] = [];
    const visit = (node: unknown, path: string) => {
      if (leaks.length >= limit) return;
      if (typeof node === 'string') {
        const hit = this.find(node);
        if (hit) leaks.push({ path, what: hit.what, form: hit.form });
      } else if (Array.isArray(node)) {
        node.forEach((item, i) => visit(item, `${path}[${i}]`));
      } else if (typeof node === 'object' && node !== null) {
        for (const [key, value] of Object.entries(node)) {
          const child = path ? `${path}.${key}` : key;
          const hit = this.find(key);
          if (hit) leaks.push({ path: `${child} (the key)`, what: hit.what, form: hit.form });
          visit(value, child);
        }
      }
    };
    visit(root, '');
    // Found in the file but in no single string: it spans JSON escaping or structure.
    if (leaks.length === 0) {
      leaks.push({ path: '(the serialized file)', what: whole.what, form: whole.form });
    }
    return leaks;
  }
}
