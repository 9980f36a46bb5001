// Text from a scanned server, a file or an agent never drives the analyst's terminal (issue 10 item
// 18): a lab TLS server whose certificate names carry ESC/OSC 52 (clipboard), CSI, `\r` (a fake
// line) and a bidi override, and a govscan server holding an agent batch that carries the same, are
// shown with every control character as a visible escape — in the scan table, `fleet findings`
// (text and JSON), `fleet status`, `report diff` and an error message quoting a file name.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '../../src/lab/pki.js';
import { BASELINE_CIPHERS, closeServer, createHttpsEndpoint, listen } from '../../src/lab/servers.js';
import { openStore } from '../../src/server/store/index.js';
import type { Report } from '../../src/core/types.js';
import { batchOfFindings } from '../../src/lab/fleet-seed.js';
import { runCli } from '../helpers/cli.js';
import { startServer, viewerToken, type ServerProcess } from '../helpers/server-process.js';

// OSC 52 sets the clipboard; CSI 2J clears the screen; \r rewinds the line for a fake verdict; U+202E reverses what follows; U+009B is an 8-bit CSI.
const HOSTILE = 'x\x1b]52;c;cm0gLXJmIH4\x07\x1b[2J\r[ OK ] ALL CHECKS PASSED\u202egnirts\u009b31m';
// As a one-line message shows it: `\r` (like any line break in a message) is a space, the rest is escaped.
const SHOWN = 'x\\x1b]52;c;cm0gLXJmIH4\\x07\\x1b[2J [ OK ] ALL CHECKS PASSED\\u202egnirts\\x9b31m';
/** Anything a terminal would act on. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
let tls: Server;
let tlsPort = 0;
let fleet: ServerProcess;
let token = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-escapes-'));
  // The lab's DN parser (@peculiar/x509) drops a CN containing \r: the CN carries everything else.
  const cert = await issueCertificate({ subjectCN: HOSTILE.replace('\r', ' '), sans: { dns: [`evil.test${HOSTILE}`] } });
  tls = createHttpsEndpoint({
    chain: [cert],
    staple: null,
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    ciphers: BASELINE_CIPHERS,
    hsts: true,
    banner: 'hostile',
  });
  tlsPort = await listen(tls, '127.0.0.1');

  // A govscan server whose store holds one agent batch with hostile text in a failed finding.
  const db = `sqlite:${join(dir, 'govscan.db')}`;
  const store = await openStore(db);
  await store.migrate();
  const batch = batchOfFindings(8, { agency: 'so-escapes', agencyName: 'So Escapes' });
  const failed = batch.report.findings[0]!;
  Object.assign(failed, { outcome: 'fail', severity: 'high', message: { en: HOSTILE, vi: HOSTILE } });
  await store.createAgency('so-escapes', `Agency ${HOSTILE}`);
  await store.ingest(batch, new Date().toISOString());
  await store.close();
  fleet = await startServer(db);
  token = await viewerToken(db);
}, 60_000);

afterAll(async () => {
  if (tls) await closeServer(tls);
  await fleet?.kill();
  await rm(dir, { recursive: true, force: true });
});

describe('outside text on the terminal', () => {
  it('scan table: the certificate names are shown escaped, with nothing raw', async () => {
    const host = 'portal.example.test';
    const r = await runCli([
      'scan',
      `https://${host}:${tlsPort}`,
      '--resolve',
      `${host}:${tlsPort}:127.0.0.1`,
      '--timeout',
      '3000',
      '--fail-on',
      'none',
    ]);
    expect(r.code, r.stderr).toBe(0);
    // A dNSName is IA5 (ASCII): the certificate library wrote U+202E as '.', and U+009B arrives as a byte.
    expect(r.stdout).toContain(
      'its subjectAltName DNS names are evil.testx\\x1b]52;c;cm0gLXJmIH4\\x07\\x1b[2J [ OK ] ALL CHECKS PASSED.gnirts\\x9b31m and',
    );
    expect(r.stdout).toContain(`the subject CN ${SHOWN} is not used`);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stderr).not.toMatch(RAW_CONTROL);

    // JSON escapes C0 itself; C1 and bidi controls are escaped too, and the data reads back the same.
    const json = await runCli([
      'scan',
      `https://${host}:${tlsPort}`,
      '--resolve',
      `${host}:${tlsPort}:127.0.0.1`,
      '--timeout',
      '3000',
      '--fail-on',
      'none',
      '--format',
      'json',
      '--quiet',
    ]);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.findings.find((f) => f.ruleId === 'TLS-CERT-HOSTNAME')?.evidence['leaf.subjectCN']).toBe(HOSTILE.replace('\r', ' '));
  });

  it("fleet findings, fleet status: an agent's text is shown escaped; --json gives the same data back", async () => {
    const flags = ['--server', fleet.url, '--token', token];
    const text = await runCli(['fleet', 'findings', ...flags]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(SHOWN);
    expect(text.stdout).not.toMatch(RAW_CONTROL);

    const json = await runCli(['fleet', 'findings', ...flags, '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    const page = JSON.parse(json.stdout) as { items: { message: { en: string } }[] };
    expect(page.items.map((i) => i.message.en)).toContain(HOSTILE);

    const status = await runCli(['fleet', 'status', ...flags]);
    expect(status.code, status.stderr).toBe(0);
    // A name is not a message: its `\r` is escaped too.
    expect(status.stdout).toContain(`Agency ${SHOWN.replace(' [ OK ]', '\\x0d[ OK ]')}`);
    expect(status.stdout).not.toMatch(RAW_CONTROL);
  });

  it('report diff and an error message naming a file: shown escaped', async () => {
    const report = JSON.parse(JSON.stringify(batchOfFindings(8).report)) as Report;
    report.findings[0]!.outcome = 'fail';
    report.findings[0]!.message = { en: HOSTILE, vi: HOSTILE };
    const newer = join(dir, 'new.json');
    await writeFile(newer, JSON.stringify(report));
    const empty = join(dir, 'old.json');
    await writeFile(empty, JSON.stringify({ ...report, findings: [] }));
    const diff = await runCli(['report', 'diff', empty, newer]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain(SHOWN);
    expect(diff.stdout).not.toMatch(RAW_CONTROL);

    const named = join(dir, `report\x1b[2J\r.json`);
    await writeFile(named, 'not json');
    const bad = await runCli(['report', 'convert', named, '--to', 'table']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('report\\x1b[2J\\x0d.json');
    expect(bad.stderr).not.toMatch(RAW_CONTROL);
  });
});
