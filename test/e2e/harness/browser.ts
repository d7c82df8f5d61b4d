// Headless Chromium (Debian's) driven by playwright-core.
import { Browser, chromium } from 'playwright-core';
import { withDeadline } from './deadline';
import { chromiumExecutable } from './paths';

const LAUNCH_TIMEOUT_MS = 60_000;

export function launchBrowser(): Promise<Browser> {
  return withDeadline('launch Chromium', LAUNCH_TIMEOUT_MS, chromium.launch({
    executablePath: chromiumExecutable(),
    timeout: LAUNCH_TIMEOUT_MS,
    args: [
      '--no-sandbox', // runs as root in CI containers
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  }));
}
