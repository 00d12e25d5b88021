// @vitest-environment happy-dom
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CapturedCall } from '../lib/api/traffic.ts';
import TrafficPanel from './TrafficPanel.svelte';

class FakeEventSource {
  static CLOSED = 2;
  static last: FakeEventSource | null = null;
  readyState = 1;
  #listeners = new Map<string, ((e: MessageEvent) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, fn: (e: MessageEvent) => void) {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), fn]);
  }
  emit(type: string, data = '') {
    for (const fn of this.#listeners.get(type) ?? []) fn(new MessageEvent(type, { data }));
  }
  close() {}
}

const hello = (enabled: boolean) =>
  JSON.stringify({
    lastSeq: 0,
    capacity: { enabled, maxCalls: 1000, maxBytes: 1, calls: 0, bytes: 0, dropped: 0 },
  });

const jsonExchange: CapturedCall = {
  seq: 7,
  startedAt: Date.UTC(2026, 0, 1, 9, 30, 0),
  durationMs: 4,
  upstream: 'simulator',
  localPath: '/oauth2/access_token',
  userAgent: 'python-requests/2.31.0',
  requestBodyTruncated: false,
  request: {
    method: 'POST',
    url: 'http://127.0.0.1:5173/sim/oauth2/access_token',
    headers: [['content-type', 'application/json']],
    body: '{"grant_type":"authorization_code","client_id":"app","client_secret":"s3cret-value-1234","code":"0123456789abcdef0123456789abcdef01234567"}',
  },
  response: {
    status: 400,
    statusText: 'Bad Request',
    headers: [['content-type', 'application/json']],
    body: `{"error":"invalid_request","error_description":"No 'grant_type' included in the request."}`,
    truncated: false,
  },
  failure: null,
};

/** The panel, its event stream open and the capture on: the stream, to send calls down. */
function openPanel(): FakeEventSource {
  render(TrafficPanel, { origin: 'http://127.0.0.1:5173' });
  const source = FakeEventSource.last!;
  source.emit('open');
  source.emit('hello', hello(true));
  return source;
}

beforeEach(() => vi.stubGlobal('EventSource', FakeEventSource));
afterEach(() => vi.unstubAllGlobals());

describe('TrafficPanel', () => {
  it('says how to send a first call, and when the server captures nothing', () => {
    render(TrafficPanel, { origin: 'http://127.0.0.1:5173' });
    expect(screen.getByTestId('traffic-empty').textContent).toContain(
      'curl -sS http://127.0.0.1:5173/public/v1/members/current',
    );
    FakeEventSource.last!.emit('open');
    FakeEventSource.last!.emit('hello', hello(false));
    return vi.waitFor(() =>
      expect(screen.getByTestId('traffic-status').textContent).toContain(
        'capture is off on the server',
      ),
    );
  });

  it('lists a call with its client and diagnosis, and opens it in the inspector', async () => {
    const source = openPanel();
    source.emit('call', JSON.stringify(jsonExchange));
    const table = await screen.findByRole('table', { name: /Captured calls/ });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row.textContent).toContain('400 invalid_request');
    expect(row.textContent).toContain('python-requests 2.31.0');
    await vi.waitFor(() =>
      expect(row.textContent).toContain('The token request must be a form, not JSON'),
    );
    await fireEvent.click(
      within(row).getByRole('button', { name: /POST \/oauth2\/access_token, call #7/ }),
    );
    const inspector = screen.getByRole('region', { name: /Call #7/ });
    expect(within(inspector).getByTestId('traffic-client').textContent?.trim()).toBe(
      'python-requests 2.31.0 (python-requests/2.31.0)',
    );
    expect(within(inspector).getByRole('heading', { level: 4 }).textContent).toContain('JSON body');
    // JSON fields decoded; the secret and the code only by fingerprint.
    const fields = within(inspector).getByTestId('traffic-fields');
    expect(fields.textContent).toContain('grant_type');
    await vi.waitFor(() => expect(fields.textContent).not.toContain('…fingerprint'));
    // Show as code rebuilds the call as the form PandaDoc reads, secrets as variables; the
    // inspector's own "curl command" replays the JSON as recorded, its secrets as variables too.
    const code = within(inspector).getByTestId('traffic-call-code');
    const curl = within(inspector).getByTestId('traffic-call-curl');
    expect(curl.textContent).toContain(`"client_secret":"'"$CLIENT_SECRET"'"`);
    for (const shown of [fields, code, curl]) {
      expect(shown.textContent).not.toContain('s3cret-value-1234');
      expect(shown.textContent).not.toContain('0123456789abcdef0123456789abcdef01234567');
    }
  });

  it('says how many earlier calls it cannot list, and why', async () => {
    const source = openPanel();
    source.emit('call', JSON.stringify({ ...jsonExchange, seq: 1 }));
    const status = screen.getByTestId('traffic-status');
    await vi.waitFor(() => expect(status.textContent).toContain('1 call'));
    expect(screen.queryByTestId('traffic-not-listed')).toBeNull();
    expect(status.textContent).toContain('(the server keeps the last 1,000)');
    // Calls 2 to 6 never reached this tab (the server dropped them before it read them).
    source.emit('call', JSON.stringify(jsonExchange));
    await vi.waitFor(() =>
      expect(screen.getByTestId('traffic-not-listed').textContent).toBe(
        '5 earlier calls not listed',
      ),
    );
    expect(status.textContent?.replace(/\s+/g, ' ')).toContain(
      '2 calls · 5 earlier calls not listed (the server keeps the last 1,000, and this view lists the last 1,000)',
    );
  });

  it('a call without a User-Agent says so once', async () => {
    const source = openPanel();
    source.emit('call', JSON.stringify({ ...jsonExchange, userAgent: null }));
    const table = await screen.findByRole('table', { name: /Captured calls/ });
    await fireEvent.click(within(table).getAllByRole('button')[0]!);
    expect(screen.getByTestId('traffic-client').textContent?.trim()).toBe('no User-Agent');
  });

  it('draws the newest 100 calls, and 100 more at each Show more', async () => {
    const source = openPanel();
    for (let seq = 1; seq <= 250; seq++) {
      source.emit('call', JSON.stringify({ ...jsonExchange, seq }));
    }
    const status = screen.getByTestId('traffic-status');
    await vi.waitFor(() => expect(status.textContent).toContain('250 calls'));
    const seqs = () =>
      within(screen.getByTestId('traffic-table'))
        .getAllByRole('row')
        .slice(1)
        .map((tr) => Number(tr.getAttribute('data-seq')));
    expect(seqs()).toEqual(Array.from({ length: 100 }, (_, i) => 250 - i));
    const more = screen.getByTestId('traffic-more');
    expect(more.textContent?.replace(/\s+/g, ' ')).toContain(
      'Showing the newest 100 of 250 calls.',
    );
    await fireEvent.click(within(more).getByRole('button', { name: 'Show 100 more' }));
    expect(seqs()).toHaveLength(200);
    await fireEvent.click(within(more).getByRole('button', { name: 'Show 50 more' }));
    expect(seqs()).toEqual(Array.from({ length: 250 }, (_, i) => 250 - i));
    expect(screen.queryByTestId('traffic-more')).toBeNull();
  });

  it('a call the debugger refused: its own answer, never PandaDoc’s, and why', async () => {
    const source = openPanel();
    const refused: CapturedCall = {
      ...jsonExchange,
      seq: 8,
      upstream: 'us',
      localPath: '/us/oauth2/access_token',
      requestBodyTruncated: true,
      request: {
        method: 'POST',
        url: 'http://127.0.0.1:5173/us/oauth2/access_token',
        headers: [['content-length', '71680']],
        body: null,
      },
      response: {
        status: 413,
        statusText: 'Payload Too Large',
        headers: [['content-type', 'application/json']],
        body: '{"error":"invalid_request","error_description":"PandaDoc debugger proxy: request body larger than 64 KiB"}',
        truncated: false,
      },
      refused: {
        kind: 'too_large',
        reason: 'The body announced 71,680 bytes (Content-Length), over the 64 KiB limit.',
      },
    };
    source.emit('call', JSON.stringify(refused));
    const table = await screen.findByRole('table', { name: /Captured calls/ });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row.textContent).toContain('413: refused by the debugger, not sent on');
    await vi.waitFor(() =>
      expect(row.textContent).toContain('Refused by the debugger: never sent to PandaDoc'),
    );
    await fireEvent.click(within(row).getByRole('button', { name: /call #8/ }));
    const inspector = screen.getByRole('region', { name: /Call #8/ });
    expect(within(inspector).queryByText('Forwarded to')).toBeNull();
    expect(within(inspector).getByText('Answered by')).toBeTruthy();
    expect(within(inspector).getByTestId('traffic-refused').textContent).toMatch(
      /this debugger, not PandaDoc: it never sent the call on to PandaDoc US/,
    );
    expect(within(inspector).getByRole('heading', { level: 4 }).textContent).toContain(
      'Body not read',
    );
    expect(inspector.textContent).toContain('The debugger refused the body unread');
    await vi.waitFor(() =>
      expect(within(inspector).getByTestId('traffic-diagnosis').textContent).toContain(
        'no code was used and no refresh token rotated',
      ),
    );
  });
});
