// The README's fleet walkthrough, step by step as a user types it: start `govscan server` on SQLite,
// create an enrolment secret and a viewer token, enrol the agent with examples/fleet/agent.yaml, run
// it once against the example agency, then find the agency in `govscan fleet status --json` and on
// the dashboard in Chromium. Only the port (free, on 127.0.0.1) and the folders (temporary) differ.

import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { Browser } from 'playwright-core';
import type { FleetOverview } from '../../src/contract/read-api.js';
import { launchChromium } from '../../src/lab/browser.js';
import { runAgentCli, runCli, type CliResult } from '../helpers/cli.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE_CONFIG = join(ROOT, 'examples/fleet/agent.yaml');

function runAgent(args: string[]): Promise<CliResult> {
  return runAgentCli(args, { timeoutMs: 120_000 });
}

let dir: string;
let db: string;
let server: ServerProcess;
let browser: Browser | null = null;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-quickstart-'));
  db = `sqlite:${join(dir, 'govscan.db')}`;
  server = await startServer(db);
});

afterAll(async () => {
  await browser?.close();
  await server?.kill();
  await rm(dir, { recursive: true, force: true });
});

describe('README fleet walkthrough', () => {
  it('server → enrolment → agent run --once → fleet status and dashboard show the agency', { timeout: 180_000 }, async () => {
    // 2. secret and viewer token, printed alone on stdout so a shell can capture them.
    const secret = await runCli(['server', 'enrollment', 'create', '--agency', 'so-khcn', '--name', 'Sở KH&CN Tỉnh Ví Dụ', '--db', db]);
    expect(secret.code, secret.stderr).toBe(0);
    expect(secret.stdout.trim()).toMatch(/^gse_\S+$/);
    const viewer = await runCli(['server', 'token', 'create', '--role', 'viewer', '--db', db]);
    expect(viewer.code, viewer.stderr).toBe(0);
    const token = viewer.stdout.trim();

    // 3. The example configuration, with its state (token, spool) in a temporary folder and its
    // relative paths made absolute, since the copy lives elsewhere.
    const example = parse(await readFile(EXAMPLE_CONFIG, 'utf8')) as {
      stateDirectory: string;
      scan: { inventory: string; caFiles: string[] };
      host: { certificateFiles: string[] };
    };
    const fromExample = (p: string): string => resolve(dirname(EXAMPLE_CONFIG), p);
    const config = join(dir, 'agent.yaml');
    await writeFile(
      config,
      stringify({
        ...example,
        stateDirectory: join(dir, 'agent-state'),
        scan: { ...example.scan, inventory: fromExample(example.scan.inventory), caFiles: example.scan.caFiles.map(fromExample) },
        host: { ...example.host, certificateFiles: example.host.certificateFiles.map(fromExample) },
      }),
    );
    const enrol = await runAgent(['enroll', '--server', server.url, '--secret', secret.stdout.trim(), '--config', config]);
    expect(enrol.code, enrol.stderr).toBe(0);
    expect((await stat(join(dir, 'agent-state', 'token.json'))).mode & 0o777).toBe(0o600);
    const run = await runAgent(['run', '--once', '--config', config]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/delivered/);

    // 4. The terminal view.
    const status = await runCli(['fleet', 'status', '--server', server.url, '--token', token, '--json']);
    expect(status.code, status.stderr).toBe(0);
    const overview = JSON.parse(status.stdout) as FleetOverview;
    expect(overview.totals).toMatchObject({ agencies: 1, agents: 1, staleAgents: 0, batches: 1 });
    const [agency] = overview.agencies;
    expect(agency).toMatchObject({ id: 'so-khcn', name: 'Sở KH&CN Tỉnh Ví Dụ', agents: 1 });
    // The example agency has known defects (a tampered approval, missing 4-layer evidence): they arrive as failures.
    expect(agency?.counts.fail).toBeGreaterThan(0);
    expect(agency?.counts.pass).toBeGreaterThan(0);
    const table = await runCli(['fleet', 'status', '--server', server.url, '--token', token]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('so-khcn');

    // …and the dashboard, opened as the README says.
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${server.url}/#token=${token}`);
    await page.locator('body[data-state="ready"][data-view="overview"]').waitFor({ timeout: 20_000 });
    const row = page.locator('#agencies tr[data-agency="so-khcn"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('Sở KH&CN Tỉnh Ví Dụ');
    await mkdir(join(ROOT, 'test-artifacts', 'dashboard'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'dashboard', 'quickstart-overview.png') });
  });
});
