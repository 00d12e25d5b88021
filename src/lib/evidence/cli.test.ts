// @vitest-environment node
/** `npm run diagnose`, run for real: the exit status a ticket bot reads, stdin, --sanitize. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const fixture = join(root, 'e2e/fixtures/har/customer-double-callback.chromium.har');
const dir = mkdtempSync(join(tmpdir(), 'diagnose-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function diagnose(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/diagnose.ts', ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run diagnose', { timeout: 60_000 }, () => {
  it('a HAR with a problem: Markdown on stdout, exit 1, and --sanitize writes a HAR without secrets', () => {
    const out = join(dir, 'out.har');
    const r = diagnose([fixture, '--sanitize', out]);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/^# Evidence diagnosis\n/);
    expect(r.out).toContain('### Error: The same code was exchanged 2 times');
    expect(r.out).toContain('| Entry | Time (UTC) | Step |');
    expect(r.err).toMatch(/wrote .*out\.har \(\d+ secret value\(s\) replaced by fingerprints\)/);
    const secrets = JSON.parse(
      readFileSync(join(root, 'e2e/fixtures/har/secrets.json'), 'utf8'),
    ) as Record<string, string[]>;
    const text = readFileSync(out, 'utf8');
    for (const s of secrets['customer-double-callback'] ?? []) {
      expect(text).not.toContain(s);
      expect(r.out).not.toContain(s);
    }
  });

  it('text on stdin; exit 0 when nothing is wrong', () => {
    const r = diagnose(
      [],
      'https://app.pandadoc.com/oauth2/authorize?client_id=a&response_type=code&state=st-123456789',
    );
    expect(r.out).toContain('Read an authorize URL (one URL)');
    expect(r.status).toBe(0);
  });

  it('exit 2 with the reason when the input cannot be read', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"users": []}');
    const r = diagnose([bad]);
    expect(r.status).toBe(2);
    expect(r.err).toContain('diagnose: This is JSON, but neither a HAR (no "log")');
    expect(diagnose([join(dir, 'missing.har')]).status).toBe(2);
  });
});
