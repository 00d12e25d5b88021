// Finds a Chromium for Playwright, installing Debian's package when none is there.
// (Playwright's own browser download can't work on machines without general internet access.)
import { execFileSync } from 'node:child_process';
import { findChromium } from './chromium-path.mjs';

let path = findChromium();
if (!path) {
  const root = process.getuid?.() === 0;
  console.log('No Chromium found: installing Debian package "chromium" with apt-get…');
  /** @param {string[]} args */
  const run = (args) => {
    const [cmd, ...rest] = root ? args : ['sudo', ...args];
    execFileSync(cmd, rest, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  };
  try {
    run(['apt-get', 'update', '-qq']);
    run(['apt-get', 'install', '-y', '-qq', 'chromium']);
  } catch {
    console.error(
      'Could not install Chromium. Install it yourself (apt-get install chromium) or set CHROMIUM_PATH.',
    );
    process.exit(1);
  }
  path = findChromium();
}
if (!path) {
  console.error(
    'Chromium is still missing after the install. Set CHROMIUM_PATH to a Chromium binary.',
  );
  process.exit(1);
}
console.log(`Chromium: ${path}`);
