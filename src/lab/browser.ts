// Debian's Chromium driven by playwright-core (which downloads no browser of its own): how the HTML
// report is checked the way a reader opens it. .ci/run installs the package; elsewhere
// `apt-get install -y chromium`.

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = process.env.GOVSCAN_CHROMIUM ?? '/usr/bin/chromium';

// No GPU, no sandbox (CI runs as root), and none of the background traffic Chromium starts on its
// own, so the only requests a test sees are the ones the page makes.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: install it with \`apt-get install -y chromium\` (or set GOVSCAN_CHROMIUM)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}
