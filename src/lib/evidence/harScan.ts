/**
 * A streaming scanner over a HAR file's text: it follows the JSON structure chunk by chunk and hands
 * over each `log.entries[i]` as its own small JSON text, so a 200 MB file is never one parsed object
 * (and never one string, when it is read from a stream). It checks structure only: each entry's text
 * is then parsed by JSON.parse, which does the real validation.
 */

/** What the scanner saw besides the entries. */
export interface HarScanSummary {
  /** The first significant character: `{` for a HAR; anything else is not one. */
  first: string | null;
  /** Keys of the top-level object and of `log`. */
  rootKeys: string[];
  logKeys: string[];
  /** Raw JSON texts of `log.version`, `log.creator`, `log.browser` when present. */
  meta: Record<string, string>;
  /** Whether `log.entries` was an array that began. */
  sawEntries: boolean;
  /** Entries handed over. */
  entries: number;
  /** The text ended inside the structure (cut off), or inside an entry. */
  truncated: boolean;
  truncatedInEntry: boolean;
  /** Characters read. */
  chars: number;
}

const META_KEYS = new Set(['version', 'creator', 'browser']);

interface Frame {
  array: boolean;
  /** The key this container sits under in its parent object (null in arrays and at the root). */
  key: string | null;
  /** In an object: the next string is a key. */
  expectKey: boolean;
  /** In an object: the key of the value being read. */
  lastKey: string | null;
}

type Capture = { kind: 'entry' | 'meta'; key: string; depth: number; parts: string[] };

export class HarScanner {
  private readonly stack: Frame[] = [];
  private inString = false;
  private stringIsKey = false;
  private keyBuf = '';
  /** Trailing backslashes of the previous chunk, while inside a string. */
  private bsCarry = 0;
  private capture: Capture | null = null;
  /** A captured string value (meta) ends at its closing quote. */
  private captureIsString = false;
  private readonly summary: HarScanSummary = {
    first: null,
    rootKeys: [],
    logKeys: [],
    meta: {},
    sawEntries: false,
    entries: 0,
    truncated: false,
    truncatedInEntry: false,
    chars: 0,
  };

  constructor(private readonly onEntry: (text: string, entry: number) => void) {}

  /** Stops early: the text does not start like a HAR. */
  get rejected(): boolean {
    return this.summary.first !== null && this.summary.first !== '{';
  }

  push(chunk: string): void {
    if (this.rejected) return;
    this.summary.chars += chunk.length;
    const n = chunk.length;
    let i = 0;
    let capStart = 0;
    let keyStart = 0;
    const stack = this.stack;
    while (i < n) {
      if (this.inString) {
        let q = chunk.indexOf('"', i);
        while (q !== -1) {
          let b = 0;
          let j = q - 1;
          while (j >= 0 && chunk.charCodeAt(j) === 92) {
            b++;
            j--;
          }
          if (j < 0) b += this.bsCarry;
          if (b % 2 === 0) break;
          q = chunk.indexOf('"', q + 1);
        }
        if (q === -1) {
          let b = 0;
          let j = n - 1;
          while (j >= 0 && chunk.charCodeAt(j) === 92) {
            b++;
            j--;
          }
          this.bsCarry = j < 0 ? b + this.bsCarry : b;
          if (this.stringIsKey) this.keyBuf += chunk.slice(keyStart, n);
          break;
        }
        this.bsCarry = 0;
        this.inString = false;
        i = q + 1;
        if (this.stringIsKey) {
          this.keyBuf += chunk.slice(keyStart, q);
          this.gotKey(this.keyBuf);
        } else if (this.capture && this.captureIsString && stack.length === this.capture.depth) {
          this.finishCapture(chunk.slice(capStart, i));
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === 34 /* " */) {
        const top = stack[stack.length - 1];
        this.inString = true;
        this.stringIsKey = top !== undefined && !top.array && top.expectKey;
        if (this.stringIsKey) {
          this.keyBuf = '';
          keyStart = i + 1;
        } else if (this.valueStarts(false)) {
          this.captureIsString = true;
          capStart = i;
        }
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        if (this.summary.first === null) {
          this.summary.first = chunk[i] ?? null;
          if (this.rejected) return;
        }
        if (this.valueStarts(true)) capStart = i;
        const parent = stack[stack.length - 1];
        stack.push({
          array: c === 91,
          key: parent && !parent.array ? parent.lastKey : null,
          expectKey: c === 123,
          lastKey: null,
        });
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        stack.pop();
        if (this.capture && !this.captureIsString && stack.length === this.capture.depth) {
          this.finishCapture(chunk.slice(capStart, i + 1));
        }
      } else if (c === 58 /* : */) {
        const top = stack[stack.length - 1];
        if (top) top.expectKey = false;
      } else if (c === 44 /* , */) {
        const top = stack[stack.length - 1];
        if (top && !top.array) top.expectKey = true;
      } else if (c > 32 && c !== 0xfeff && this.summary.first === null) {
        // Something other than an object or array first: not a HAR.
        this.summary.first = chunk[i] ?? null;
        return;
      }
      i++;
    }
    if (this.capture) this.capture.parts.push(chunk.slice(capStart));
  }

  /** The scan is over: what it saw. Never throws. */
  end(): HarScanSummary {
    if (this.stack.length > 0 || this.inString) {
      this.summary.truncated = true;
      this.summary.truncatedInEntry = this.capture?.kind === 'entry';
    }
    return this.summary;
  }

  private gotKey(key: string): void {
    const depth = this.stack.length;
    const top = this.stack[depth - 1];
    if (!top) return;
    top.lastKey = key;
    if (depth === 1) this.summary.rootKeys.push(key);
    else if (depth === 2 && top.key === 'log') this.summary.logKeys.push(key);
  }

  /** A value begins here: starts a capture when it is an entry or a wanted log field. */
  private valueStarts(container: boolean): boolean {
    const s = this.stack;
    if (s.length === 3 && s[2]?.array && s[2].key === 'entries' && s[1]?.key === 'log') {
      if (!container) return false;
      this.capture = { kind: 'entry', key: '', depth: 3, parts: [] };
      this.captureIsString = false;
      return true;
    }
    if (s.length === 2 && s[1]?.key === 'log' && !s[1].array) {
      const key = s[1].lastKey ?? '';
      if (key === 'entries' && container) this.summary.sawEntries = true;
      if (!META_KEYS.has(key)) return false;
      this.capture = { kind: 'meta', key, depth: 2, parts: [] };
      this.captureIsString = false;
      return true;
    }
    return false;
  }

  private finishCapture(tail: string): void {
    const cap = this.capture;
    if (!cap) return;
    this.capture = null;
    this.captureIsString = false;
    const text = cap.parts.length ? cap.parts.join('') + tail : tail;
    if (cap.kind === 'meta') this.summary.meta[cap.key] = text;
    else {
      this.summary.entries += 1;
      this.onEntry(text, this.summary.entries);
    }
  }
}
