/**
 * Step two of sanitizing: every secret, in every replaceable form, becomes the same form of its
 * fingerprint, wherever it sits in a string. In URLs and form bodies the fingerprint is
 * URL-encoded (its `…` is not a URL character), so the result still parses as what it was.
 */
import { REPLACEABLE_FORMS, escapeRegExp, formEncode } from './encodings.ts';
import { MIN_GLOBAL_SECRET_LENGTH, utf8Base64 } from './secretFields.ts';

/** A URL, a path with a query, or a form body: the fingerprint goes in URL-encoded. */
export function isUrlLike(text: string): boolean {
  const t = text.trim();
  return (
    /^https?:\/\/\S+$/i.test(t) ||
    /^\/\S*[?#]\S*$/.test(t) ||
    /^[\w.[\]%-]+=[^&\s]*(?:&[\w.[\]%-]+=[^&\s]*)*$/.test(t)
  );
}

export class Replacer {
  readonly #plain = new Map<string, string>();
  readonly #url = new Map<string, string>();
  readonly #pattern: RegExp | null;
  /** How many replacements were made so far. */
  count = 0;

  /**
   * `prints`: secret → fingerprint. `basic`: a Basic credential's base64 → its user; it becomes
   * base64 of `user:<fingerprint of the password>`, so the client_id stays readable.
   */
  constructor(
    prints: Map<string, string>,
    basic: Map<string, string>,
    readonly fingerprintOf: (value: string) => string | undefined = (v) => prints.get(v),
  ) {
    for (const [value, print] of prints) {
      if (value.length < MIN_GLOBAL_SECRET_LENGTH) continue;
      for (const form of REPLACEABLE_FORMS) {
        const from = form.encode(value);
        if (from === '' || this.#plain.has(from)) continue;
        this.#plain.set(from, form.encode(print));
        // A raw secret inside a URL: put the fingerprint in encoded, as the URL would carry it.
        this.#url.set(from, form.name === 'raw' ? encodeURIComponent(print) : form.encode(print));
      }
    }
    for (const [blob, user] of basic) {
      const password = [...prints.keys()].find((v) => utf8Base64(`${user}:${v}`) === blob);
      const print = password === undefined ? prints.get(blob) : prints.get(password);
      if (print === undefined) continue;
      const replacement = utf8Base64(`${user}:${print}`);
      for (const [from, to] of [
        [blob, replacement],
        [encodeURIComponent(blob), encodeURIComponent(replacement)],
        [formEncode(blob), formEncode(replacement)],
      ]) {
        if (this.#plain.has(from)) continue;
        this.#plain.set(from, to);
        this.#url.set(from, to);
      }
    }
    const froms = [...this.#plain.keys()].sort((a, b) => b.length - a.length);
    this.#pattern = froms.length ? new RegExp(froms.map(escapeRegExp).join('|'), 'g') : null;
  }

  /**
   * `text` with every secret form swapped for its fingerprint. `urlLike` says whether the text is
   * URL-encoded (a URL, a form body); by default it is guessed from the text's shape.
   */
  replace(text: string, urlLike = isUrlLike(text)): string {
    if (!this.#pattern || text.length < MIN_GLOBAL_SECRET_LENGTH) return text;
    const table = urlLike ? this.#url : this.#plain;
    return text.replace(this.#pattern, (match) => {
      this.count++;
      return table.get(match) ?? match;
    });
  }
}
