/**
 * The built app goes out compressed: the build writes `.br` and `.gz` beside each text file
 * (precompress.ts), and the server picks one by Accept-Encoding, with `Vary`, or sends the file as
 * it is. Already-compressed formats are never compressed.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerApp } from './app.ts';
import { loadConfig } from './config.ts';
import { pickEncoding, type Encoding } from './encoding.ts';
import { listen } from './listen.ts';
import { PAGE_CSP } from './pages.ts';
import { type PrecompressedFile, precompressDir } from './precompress.ts';
import { freePort } from './test-helpers.ts';

const ORIGIN = 'http://127.0.0.1:5173';
const JS = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{ id: ${i}, name: "row ${i}" }`).join(', ')}];\n`;
const HTML = `<!doctype html><html><head><title>PandaDoc OAuth Debugger</title><script type="module" src="/assets/app.js"></script></head><body>${'<div class="x"></div>'.repeat(40)}</body></html>`;
/** A PNG's bytes look random: compressing them only adds bytes. */
const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a', 'hex'),
  Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) % 251)),
]);

let dist: string;
let written: PrecompressedFile[];
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'oauth-debugger-pages-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), HTML);
  writeFileSync(join(dist, 'assets', 'app.js'), JS);
  writeFileSync(join(dist, 'assets', 'tiny.css'), 'a{}');
  writeFileSync(join(dist, 'assets', 'logo.png'), PNG);
  writeFileSync(
    join(dist, 'favicon.svg'),
    `<svg xmlns="http://www.w3.org/2000/svg">${'<g/>'.repeat(100)}</svg>`,
  );
  written = await precompressDir(dist);
});
afterAll(() => rmSync(dist, { recursive: true, force: true }));

function app() {
  return createServerApp({ config: loadConfig({}), distDir: dist }).app;
}
const get = (path: string, acceptEncoding?: string, method = 'GET') =>
  app().request(`${ORIGIN}${path}`, {
    method,
    headers: acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding },
  });

function decode(body: Buffer, encoding: string | null): string {
  if (encoding === 'br') return brotliDecompressSync(body).toString();
  if (encoding === 'gzip') return gunzipSync(body).toString();
  return body.toString();
}

describe('precompressDir (the build step)', () => {
  it('writes .br and .gz beside text files, smaller than the file; never for a PNG', () => {
    const byPath = Object.fromEntries(written.map((f) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual([
      'assets/app.js',
      'assets/tiny.css',
      'favicon.svg',
      'index.html',
    ]);
    for (const path of ['assets/app.js', 'index.html', 'favicon.svg']) {
      const { bytes, encoded } = byPath[path];
      expect(encoded.br).toBeLessThan(bytes);
      expect(encoded.gzip).toBeLessThan(bytes);
      expect(brotliDecompressSync(readFileSync(join(dist, `${path}.br`))).toString()).toBe(
        readFileSync(join(dist, path), 'utf8'),
      );
    }
    // Three bytes compress to more than three bytes: no copy is written.
    expect(byPath['assets/tiny.css'].encoded).toEqual({});
    expect(existsSync(join(dist, 'assets', 'tiny.css.gz'))).toBe(false);
    expect(existsSync(join(dist, 'assets', 'logo.png.gz'))).toBe(false);
    expect(existsSync(join(dist, 'assets', 'logo.png.br'))).toBe(false);
  });
});

describe('serving the build', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0.5, br;q=0.4', 'gzip'],
    ['*', 'br'],
    ['identity', null],
    ['*;q=0', null],
    ['', null],
    [undefined, null],
  ] as const)('Accept-Encoding %j → %s, with Vary', async (accept, expected) => {
    const res = await get('/assets/app.js', accept);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Encoding')).toBe(expected);
    expect(res.headers.get('Vary')).toBe('Accept-Encoding');
    expect(res.headers.get('Content-Type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('Content-Length'))).toBe(body.length);
    expect(decode(body, expected)).toBe(JS);
  });

  it('the page itself, at / and /callback, compressed with its own headers', async () => {
    for (const [path, cache] of [
      ['/', 'no-cache'],
      ['/callback?code=abc', 'no-store'],
    ]) {
      const res = await get(path, 'gzip, br');
      expect(res.headers.get('Content-Encoding')).toBe('br');
      expect(res.headers.get('Vary')).toBe('Accept-Encoding');
      expect(res.headers.get('Cache-Control')).toBe(cache);
      expect(res.headers.get('Content-Security-Policy')).toBe(PAGE_CSP);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
      expect(decode(Buffer.from(await res.arrayBuffer()), 'br')).toBe(HTML);
    }
  });

  it('a PNG goes as it is, whatever the client accepts, with no Vary', async () => {
    const res = await get('/assets/logo.png', 'gzip, br');
    expect(res.headers.get('Content-Encoding')).toBeNull();
    expect(res.headers.get('Vary')).toBeNull();
    expect(res.headers.get('Content-Type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('a text file the build left uncompressed goes as it is, still with Vary', async () => {
    const res = await get('/assets/tiny.css', 'br');
    expect(res.headers.get('Content-Encoding')).toBeNull();
    expect(res.headers.get('Vary')).toBe('Accept-Encoding');
    expect(await res.text()).toBe('a{}');
  });

  it('HEAD gives the length of what GET would send', async () => {
    const head = await get('/assets/app.js', 'gzip', 'HEAD');
    const got = await get('/assets/app.js', 'gzip');
    expect(head.headers.get('Content-Encoding')).toBe('gzip');
    expect(head.headers.get('Content-Length')).toBe(got.headers.get('Content-Length'));
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('the compressed copies are not paths of their own to negotiate; unknown paths 404', async () => {
    expect((await get('/assets/nope.js', 'br')).status).toBe(404);
    expect((await get('/assets/../index.html', 'br')).status).not.toBe(500);
  });

  it('over a socket, a real client (fetch decodes) gets the original bytes', async () => {
    const config = loadConfig({ PORT: String(await freePort()) });
    const { app } = createServerApp({ config, distDir: dist });
    const running = await listen({ fetch: app.fetch, hostname: '127.0.0.1', port: config.port });
    try {
      for (const accept of ['br', 'gzip', 'identity'] as const) {
        const res = await fetch(`http://127.0.0.1:${running.port}/assets/app.js`, {
          headers: { 'Accept-Encoding': accept },
        });
        expect(res.headers.get('Content-Encoding')).toBe(accept === 'identity' ? null : accept);
        expect(await res.text()).toBe(JS);
      }
    } finally {
      await running.close();
    }
  });
});

describe('pickEncoding', () => {
  const both = new Set<Encoding>(['br', 'gzip']);
  it('reads quality values, wildcards and case; ties go to br', () => {
    expect(pickEncoding('GZIP, BR', both)).toBe('br');
    expect(pickEncoding('gzip;q=1.0, br;q=0.999', both)).toBe('gzip');
    expect(pickEncoding('br;q=0.0', both)).toBeUndefined();
    expect(pickEncoding('gzip;q=0, *', both)).toBe('br');
    expect(pickEncoding('br;q=0, *;q=0.1', both)).toBe('gzip');
    expect(pickEncoding('br ; q=0.2 , gzip ; q=0.1', both)).toBe('br');
    expect(pickEncoding('br', new Set<Encoding>(['gzip']))).toBeUndefined();
    expect(pickEncoding('deflate, compress', both)).toBeUndefined();
  });
});
