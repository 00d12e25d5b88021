/**
 * Content negotiation for the built app's files, and which files are worth compressing. Shared by
 * the build (precompress.ts writes `x.br` and `x.gz` beside `x`) and the server (pages.ts picks one).
 * @see RFC 9110 §12.5.3 (Accept-Encoding), §12.4.2 (quality values)
 */
import { readdir } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

/** Text formats only: images, fonts and archives are compressed already, and would only grow. */
export const COMPRESSIBLE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.svg',
  '.json',
  '.map',
  '.txt',
  '.xml',
  '.webmanifest',
]);

/** The encodings written at build time, in order of preference, with their file suffixes. */
export const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
] as const;
export type Encoding = (typeof ENCODINGS)[number][0];

export const isCompressible = (file: string) => COMPRESSIBLE_EXTENSIONS.has(extname(file));
/** A file the build wrote as a compressed copy of another. */
export const isVariant = (file: string) => ENCODINGS.some(([, suffix]) => file.endsWith(suffix));

/**
 * The best of `available` that the Accept-Encoding header allows, or undefined for identity.
 * Quality values count (`br;q=0` refuses br, `*` stands for anything not named); ties go to the
 * order of ENCODINGS. No header means identity: the client said nothing about what it decodes.
 */
export function pickEncoding(
  header: string | undefined,
  available: ReadonlySet<Encoding>,
): Encoding | undefined {
  if (!header) return undefined;
  const quality = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find(Boolean);
    quality.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  let best: Encoding | undefined;
  let bestQ = 0;
  for (const [encoding] of ENCODINGS) {
    if (!available.has(encoding)) continue;
    const q = quality.get(encoding) ?? quality.get('*') ?? 0;
    if (q > bestQ) [best, bestQ] = [encoding, q];
  }
  return best;
}

/** Every file under `dir`, as `/`-separated paths relative to it; dotfiles left out. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((path) => !path.split('/').some((part) => part.startsWith('.')));
}
