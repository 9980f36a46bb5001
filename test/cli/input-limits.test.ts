// Input files above their documented size (README "Input size limits") are refused before they are
// read: exit 2 and `file: larger than N MB (…)`, in English or Vietnamese (issue 10 item 17). Valid
// documents padded with YAML comments, so only their size is wrong; the large reports are sparse
// files (their size is what is checked, nothing is read). A FIFO is counted while it is read.

import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const MB = 1024 * 1024;
let dir: string;

/** `text` followed by comment lines up to `bytes` in all. */
async function padded(name: string, text: string, bytes: number): Promise<string> {
  const file = join(dir, name);
  const line = `# ${'padding '.repeat(12)}\n`;
  const lines = Math.ceil((bytes - text.length) / line.length);
  await writeFile(file, text + line.repeat(lines));
  return file;
}

/** A file of `bytes` bytes that takes no disk space. */
async function sparse(name: string, bytes: number): Promise<string> {
  const file = join(dir, name);
  const handle = await open(file, 'w');
  await handle.truncate(bytes);
  await handle.close();
  return file;
}

// A closed loopback port: should anything be scanned, nothing leaves the machine.
const TARGET = 'https://127.0.0.1:9';
const INVENTORY = 'systems:\n  - id: a\n    name: A\n    level: 2\n    endpoints: ["https://127.0.0.1:9"]\n';
const POLICY = `apiVersion: govscan/v1
kind: Policy
metadata:
  id: padded
  version: "1.0.0"
  title: { en: Padded, vi: Đệm }
  legalBasis: [none]
spec:
  rules:
    - id: PADDED
      check: tls.endpoint
      severity: low
      title: { en: T, vi: T }
      description: { en: D, vi: D }
      assert: "true"
      message: { en: M, vi: M }
      remediation: { en: R, vi: R }
`;
const WAIVERS = 'waivers:\n  - rule: PADDED\n    target: "*"\n    justification: j\n    approver: a\n    expires: 2099-01-01\n';

let files: Record<string, string>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-input-limits-'));
  const manifest = join(dir, 'manifest.evidence.yaml');
  const init = await runCli(['evidence', 'init', '--system', 'big', '--level', '1', '--output', manifest]);
  expect(init.code, init.stderr).toBe(0);
  files = {
    inventory: await padded('inventory.yaml', INVENTORY, 10 * MB + 1),
    policy: await padded('policy.yaml', POLICY, 2 * MB + 1),
    waivers: await padded('waivers.yaml', WAIVERS, 10 * MB + 1),
    manifest: await padded('big.evidence.yaml', await readFile(manifest, 'utf8'), 1 * MB + 1),
    ca: await padded('ca.pem', '', 10 * MB + 1),
    report: await sparse('report.json', 256 * MB + 1),
  };
});

describe('input files above their limit → exit 2 before they are read', () => {
  const cases: Array<[string, () => string[], () => RegExp]> = [
    [
      'scan --inventory',
      () => ['scan', '--inventory', files.inventory!],
      () => /^error: \S+inventory\.yaml: larger than 10 MB \(the limit for an inventory; this one is 10\.0 MB\)$/,
    ],
    [
      'scan --policy',
      () => ['scan', TARGET, '--policy', files.policy!],
      () => /^error: \S+policy\.yaml: larger than 2 MB \(the limit for a policy pack; this one is 2\.0 MB\)$/,
    ],
    [
      'policy validate',
      () => ['policy', 'validate', files.policy!],
      () => /^error: \S+policy\.yaml: larger than 2 MB \(the limit for a policy pack; this one is 2\.0 MB\)$/,
    ],
    [
      'scan --waivers',
      () => ['scan', TARGET, '--waivers', files.waivers!],
      () => /^error: \S+waivers\.yaml: larger than 10 MB \(the limit for a waiver file; this one is 10\.0 MB\)$/,
    ],
    [
      'scan --ca-file',
      () => ['scan', TARGET, '--ca-file', files.ca!],
      () => /^error: \S+ca\.pem: larger than 10 MB \(the limit for a CA file; this one is 10\.0 MB\)$/,
    ],
    [
      'scan --baseline',
      () => ['scan', TARGET, '--baseline', files.report!],
      () => /^error: \S+report\.json: larger than 256 MB \(the limit for a report; this one is 256\.0 MB\)$/,
    ],
    [
      'report convert',
      () => ['report', 'convert', files.report!, '--to', 'table'],
      () => /^error: \S+report\.json: larger than 256 MB \(the limit for a report; this one is 256\.0 MB\)$/,
    ],
    [
      'report merge',
      () => ['report', 'merge', files.report!, files.report!],
      () => /^error: \S+report\.json: larger than 256 MB \(the limit for a report; this one is 256\.0 MB\)$/,
    ],
    [
      'report diff',
      () => ['report', 'diff', files.report!, files.report!],
      () => /^error: \S+report\.json: larger than 256 MB \(the limit for a report; this one is 256\.0 MB\)$/,
    ],
    [
      'evidence verify',
      () => ['evidence', 'verify', files.manifest!],
      () => /^error: \S+big\.evidence\.yaml: larger than 1 MB \(the limit for an evidence manifest; this one is 1\.0 MB\)$/,
    ],
  ];

  it.each(cases)('%s', async (_name, args, message) => {
    const r = await runCli(args());
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trimEnd()).toMatch(message());
    expect(r.stdout).toBe('');
  });

  it('says so in Vietnamese', async () => {
    const r = await runCli(['scan', '--inventory', files.inventory!, '--lang', 'vi']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^lỗi: \S+inventory\.yaml: lớn hơn 10 MB \(giới hạn cho tệp danh mục hệ thống; tệp này 10,0 MB\)\n$/);
  });

  it('counts what a FIFO delivers and stops reading past the limit', async () => {
    const fifo = join(dir, 'inventory.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = createWriteStream(fifo);
    writer.on('error', () => undefined);
    // More than the limit, written while the scan reads; it stops reading and closes the pipe.
    const chunk = Buffer.from(`# ${'x'.repeat(1022)}\n`.repeat(1024));
    const feed = (async (): Promise<void> => {
      writer.write(INVENTORY);
      for (let i = 0; i < 12 && !writer.destroyed; i++)
        if (!writer.write(chunk)) await new Promise<void>((r) => writer.once('drain', () => r()).once('close', () => r()));
      writer.end();
    })();
    const r = await runCli(['scan', '--inventory', fifo]);
    writer.destroy();
    await feed;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error: \S+inventory\.fifo: larger than 10 MB \(the limit for an inventory\)\n$/);
  });
});
