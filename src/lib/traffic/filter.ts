/** The Traffic list's filters: by status, path and client. Pure. */
import type { ClientKind } from './client.ts';

export type StatusFilter = 'all' | 'failed' | '2xx' | '4xx' | '5xx' | 'none';

export interface TrafficFilter {
  status: StatusFilter;
  /** Case-insensitive substring of the path the client asked for. */
  path: string;
  client: ClientKind | 'all';
}

export const NO_FILTER: Readonly<TrafficFilter> = Object.freeze({
  status: 'all',
  path: '',
  client: 'all',
});

export interface FilterableRow {
  status: number | null;
  ok: boolean;
  path: string;
  client: ClientKind;
}

export function matches(row: FilterableRow, f: TrafficFilter): boolean {
  if (f.client !== 'all' && row.client !== f.client) return false;
  if (f.path.trim() && !row.path.toLowerCase().includes(f.path.trim().toLowerCase())) return false;
  const s = row.status;
  switch (f.status) {
    case 'all':
      return true;
    case 'failed':
      return !row.ok;
    case 'none':
      return s === null;
    case '2xx':
      return s !== null && s >= 200 && s < 300;
    case '4xx':
      return s !== null && s >= 400 && s < 500;
    case '5xx':
      return s !== null && s >= 500;
  }
}

/** "3 new calls, 1 failed": what the live region says, at most every few seconds. */
export function announce(added: number, failed: number): string {
  if (added === 0) return '';
  const calls = `${added} new call${added === 1 ? '' : 's'}`;
  return failed ? `${calls}, ${failed} failed` : calls;
}
