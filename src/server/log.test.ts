/**
 * The request log: one request is one line, always, whatever its path holds: in-process, over a
 * socket, and in `npm start`'s stdout and LOG_FILE.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServerApp } from './app.ts';
import { loadConfig } from './config.ts';
import { listen } from './listen.ts';
import { escapeControl } from './log.ts';
import { freePort, rawExchange, rawStatus } from './test-helpers.ts';

const ORIGIN = 'http://127.0.0.1:5173';
const tmp = mkdtempSync(join(tmpdir(), 'oauth-debugger-log-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A forged line: a newline, then what looks like another request's entry. */
const FORGED = '/api/x%0AGET%20/api/admin%20200%201.0ms%0D%0A';

describe('escapeControl', () => {
  it('escapes C0, DEL, C1, U+2028/9 and the backslash; leaves the rest', () => {
    expect(escapeControl('a\nb\r\tc\u0000\u007f\u0085\u2028\u2029\\')).toBe(
      'a\\x0ab\\x0d\\x09c\\x00\\x7f\\x85\\u2028\\u2029\\\\',
    );
    expect(escapeControl('GET /api/x 200 1.0ms é €')).toBe('GET /api/x 200 1.0ms é €');
  });
});

describe('one request, one line', () => {
  it('a path with %0A and %0D stays one line, percent-encoded as it arrived', async () => {
    const lines: string[] = [];
    const { app } = createServerApp({ config: loadConfig({}), log: (l) => lines.push(l) });
    expect((await app.request(`${ORIGIN}${FORGED}`)).status).toBe(404);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\r\n]/);
    expect(lines[0]).toMatch(
      /^GET \/api\/x%0AGET%20\/api\/admin%20200%201\.0ms%0D%0A 404 [\d.]+ms$/,
    );
  });

  it('a request the server fails on is one line too, with the error name only', async () => {
    const empty = mkdtempSync(join(tmp, 'no-index-'));
    const lines: string[] = [];
    const { app } = createServerApp({
      config: loadConfig({}),
      distDir: empty,
      log: (l) => lines.push(l),
    });
    const res = await app.request(`${ORIGIN}/callback?code=secret-code-123`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain(empty);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^GET \/callback 500 [\d.]+ms error Error$/);
    expect(lines[0]).not.toContain('secret-code-123');
  });

  it('an error on a forged path: still one line, never the decoded path', async () => {
    const lines: string[] = [];
    const { app } = createServerApp({ config: loadConfig({}), log: (l) => lines.push(l) });
    app.get('/boom/*', () => {
      throw new TypeError('quotes the request: \nGET /forged 200');
    });
    const res = await app.request(`${ORIGIN}/boom${FORGED}`);
    expect(res.status).toBe(500);
    expect(lines).toEqual([
      expect.stringMatching(/^GET \/boom\/api\/x%0AGET%20.* 500 [\d.]+ms error TypeError$/),
    ]);
  });

  it('over a socket: raw bytes in the request target never split the line', async () => {
    const lines: string[] = [];
    const config = loadConfig({ PORT: String(await freePort()) });
    const { app } = createServerApp({ config, log: (l) => lines.push(l) });
    const running = await listen({ fetch: app.fetch, hostname: '127.0.0.1', port: config.port });
    try {
      const host = `Host: 127.0.0.1:${running.port}`;
      for (const target of [FORGED, '/api/%E2%80%A8x', '/sim/%00%1b[31mred']) {
        const answer = await rawExchange(
          running.port,
          `GET ${target} HTTP/1.1\r\n${host}\r\nConnection: close\r\n\r\n`,
        );
        expect(rawStatus(answer), target).toBe(404);
      }
      expect(lines).toHaveLength(3);
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    } finally {
      await running.close();
    }
  });

  it('npm start: stdout and LOG_FILE get one line for a forged path', async () => {
    const dist = mkdtempSync(join(tmp, 'dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>t</title>');
    const logFile = join(tmp, 'requests.log');
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { ...process.env, PORT: String(port), DIST_DIR: dist, LOG_FILE: logFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready: ${stdout}`)), 20_000);
        child.stdout.on('data', () => {
          if (stdout.includes('ready at')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const answer = await rawExchange(
        port,
        `GET ${FORGED} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      );
      expect(rawStatus(answer)).toBe(404);
      await new Promise((r) => setTimeout(r, 100));
      const requestLines = stdout.split('\n').filter((l) => l && !l.includes('ready at'));
      expect(requestLines).toEqual([expect.stringMatching(/^GET \/api\/x%0AGET.* 404 /)]);
      expect(readFileSync(logFile, 'utf8').split('\n')).toEqual([requestLines[0], '']);
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);
});
