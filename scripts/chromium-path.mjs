import { existsSync } from 'node:fs';

/** Where Debian's Chromium (or one named by CHROMIUM_PATH) is, or null. */
export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}
