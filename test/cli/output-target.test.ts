// Where reports go (issue 10 item 14): a folder that cannot be written is refused before any work
// (exit 2, one line in English or Vietnamese) by every command with an output; a FIFO, a device or
// /dev/stdout is written in place, never replaced by a regular file; a symbolic link keeps being a
// link and its target gets the report. FIFOs and links live in a temporary folder: never /dev/null,
// and never /dev/stdout itself, which a regressed writer would replace for the whole machine.

import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, readlink, stat, writeFile, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimit, runCli } from '../helpers/cli.js';
import { outputTarget } from '../../src/core/atomic-file.js';

const REPORT = 'test/fixtures/server/report-agency.json';
let dir: string;
let manifest: string;
// Every scan below points here: a listener that counts connections, so "nothing was probed" is checked.
let listener: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-output-'));
  manifest = join(dir, 'sys.evidence.yaml');
  const init = await runCli(['evidence', 'init', '--system', 'sys', '--level', '2', '--output', manifest]);
  expect(init.code, init.stderr).toBe(0);
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as { port: number }).port;
});
afterAll(() => {
  listener?.close();
});

const scan = (...rest: string[]): string[] => [
  'scan',
  `https://portal.example.test:${port}`,
  '--resolve',
  `portal.example.test:${port}:127.0.0.1`,
  '--quiet',
  '--timeout',
  '500',
  ...rest,
];

describe('an output folder that cannot be written is refused before any work', () => {
  const missing = (): string => join(dir, 'no-such-folder', 'report.out');
  const cases: Array<[string, () => string[], RegExp]> = [
    ...(['table', 'json', 'sarif', 'junit', 'html'] as const).map((format): [string, () => string[], RegExp] => [
      `scan --format ${format} --output`,
      () => scan('--format', format, '--output', missing()),
      /^error: --output: cannot write in \S+\/no-such-folder: no such directory$/,
    ]),
    [
      'scan --sarif-dir under a file',
      () => scan('--sarif-dir', join(REPORT, 'sarif')),
      /^error: --sarif-dir: cannot write in test\/fixtures\/server\/report-agency\.json: not a directory$/,
    ],
    [
      'report convert --output',
      () => ['report', 'convert', REPORT, '--to', 'html', '--output', missing()],
      /^error: --output: cannot write in \S+: no such directory$/,
    ],
    [
      'report convert --sarif-dir',
      () => ['report', 'convert', REPORT, '--to', 'sarif', '--sarif-dir', join(REPORT, 'x')],
      /^error: --sarif-dir: cannot write in \S+: not a directory$/,
    ],
    [
      'report merge --output',
      () => ['report', 'merge', REPORT, REPORT, '--output', missing()],
      /^error: --output: cannot write in \S+: no such directory$/,
    ],
    // Checked before the server is contacted: nothing listens on the URL given.
    [
      'fleet export --output',
      () => ['fleet', 'export', '--server', 'http://127.0.0.1:9', '--token', 'gsv_x', '--agency', 'a', '--output', missing()],
      /^error: --output: cannot write in \S+: no such directory$/,
    ],
    [
      'evidence verify --output',
      () => ['evidence', 'verify', manifest, '--output', missing()],
      /^error: --output: cannot write in \S+: no such directory$/,
    ],
    [
      'evidence init --output',
      () => ['evidence', 'init', '--system', 'x', '--level', '1', '--output', missing()],
      /^error: --output: cannot write in \S+: no such directory$/,
    ],
    [
      'an output that is a folder',
      () => ['report', 'convert', REPORT, '--to', 'json', '--output', dir],
      /^error: --output: cannot write to \S+: it is a directory$/,
    ],
  ];

  it.each(cases)('%s → exit 2', async (_name, args, message) => {
    const before = connections;
    const r = await runCli(args());
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stdout).toBe('');
    expect(connections - before).toBe(0);
  });

  it('says so in Vietnamese', async () => {
    const r = await runCli(['report', 'convert', REPORT, '--to', 'html', '--output', 'no-such-folder/bao-cao.html', '--lang', 'vi'], {
      cwd: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('lỗi: --output: không ghi được vào thư mục no-such-folder: thư mục không tồn tại\n');
  });
});

/** Reads a FIFO to its end while the command writes it. */
function drain(fifo: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    createReadStream(fifo, 'utf8')
      .on('data', (d) => (text += String(d)))
      .on('end', () => resolve(text))
      .on('error', reject);
  });
}

describe('outputs that are not regular files', () => {
  it('writes into a FIFO in place (text reports and the streamed JSON of a scan) and leaves it a FIFO', async () => {
    const fifos = { sarif: join(dir, 'sarif.fifo'), json: join(dir, 'json.fifo'), junit: join(dir, 'junit.fifo') };
    for (const f of Object.values(fifos)) execFileSync('mkfifo', [f]);
    const reads = { sarif: drain(fifos.sarif), json: drain(fifos.json), junit: drain(fifos.junit) };
    const [convert, scanned, verified] = await Promise.all([
      runCli(['report', 'convert', REPORT, '--to', 'sarif', '--output', fifos.sarif]),
      runCli(scan('--format', 'json', '--output', fifos.json)),
      runCli(['evidence', 'verify', manifest, '--format', 'junit', '--fail-on', 'none', '--output', fifos.junit]),
    ]);
    expect(convert.code, convert.stderr).toBe(0);
    expect(scanned.stderr).not.toMatch(/internal error/);
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(await reads.sarif)).toMatchObject({ version: '2.1.0' });
    expect(JSON.parse(await reads.json)).toMatchObject({ schemaVersion: 1, targets: [{ host: 'portal.example.test' }] });
    expect(await reads.junit).toMatch(/^<\?xml [^>]*>\n<testsuites/);
    for (const f of Object.values(fifos)) expect((await stat(f)).isFIFO(), f).toBe(true);
  });

  it('replaces the target of a symbolic link and keeps the link', async () => {
    const real = join(dir, 'real.sarif');
    const link = join(dir, 'link.sarif');
    await writeFile(real, 'old\n');
    await symlink('real.sarif', link);
    const dangling = join(dir, 'dangling.html');
    await symlink('created-by-govscan.html', dangling);
    const [a, b] = await mapLimit(
      [
        ['report', 'convert', REPORT, '--to', 'sarif', '--output', link],
        ['report', 'convert', REPORT, '--to', 'html', '--output', dangling],
      ],
      2,
      (args) => runCli(args),
    );
    expect(a?.code, a?.stderr).toBe(0);
    expect(b?.code, b?.stderr).toBe(0);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('real.sarif');
    expect(JSON.parse(await readFile(real, 'utf8'))).toMatchObject({ version: '2.1.0' });
    expect((await lstat(dangling)).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'created-by-govscan.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  });

  // The output is a link in the test's temporary folder that names this process's standard output
  // by descriptor: written to the pipe it is. A writer that renamed over its target would fail here
  // (its temporary file cannot be created in /proc/self/fd) instead of replacing a device.
  it('writes through a link to the standard output descriptor into the pipe it is', async () => {
    const link = join(dir, 'convert-to-fd1');
    await symlink('/dev/fd/1', link);
    const r = await runCli(['report', 'convert', REPORT, '--to', 'sarif', '--output', link]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: '2.1.0' });
    expect(r.stderr).toBe(`report written to ${link}\n`);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  // The streamed JSON of a scan spills to a temporary file first: next to a report file, but in TMPDIR
  // for a descriptor or a device (it used to be made beside them: in /dev for -o /dev/null).
  it('spills a JSON scan to TMPDIR when the output is a descriptor, beside the report when it is a file', async () => {
    const link = join(dir, 'scan-to-fd1');
    await symlink('/dev/fd/1', link);
    const spillDir = await mkdtemp(join(dir, 'tmp-'));
    const r = await runCli(scan('--format', 'json', '--output', link), { env: { TMPDIR: spillDir } });
    expect(r.code, r.stderr).not.toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: 1, targets: [{ host: 'portal.example.test' }] });
    expect(await readdir(spillDir)).toEqual([]);
    // Where the spill goes shows when TMPDIR cannot take it: refused before any probe for the
    // descriptor, not needed for a file.
    const missing = join(dir, 'no-such-tmp');
    const toDescriptor = await runCli(scan('--format', 'json', '--output', link), { env: { TMPDIR: missing } });
    expect(toDescriptor.code).toBe(2);
    expect(toDescriptor.stderr).toContain(`TMPDIR: cannot write in ${missing}`);
    const toFile = await runCli(scan('--format', 'json', '--output', join(dir, 'spilled-beside.json')), { env: { TMPDIR: missing } });
    expect(toFile.code, toFile.stderr).not.toBe(2);
    expect(JSON.parse(await readFile(join(dir, 'spilled-beside.json'), 'utf8'))).toMatchObject({ schemaVersion: 1 });
  });

  it('takes /dev/stdout and its kin for the open descriptor they name, and follows links to the file they reach', async () => {
    // Only looked at, never written: nothing here can touch the real /dev/stdout.
    expect(await outputTarget('/dev/stdout')).toEqual({ kind: 'stream', path: '/dev/stdout', exists: true, fd: 1 });
    expect(await outputTarget('/dev/stderr')).toEqual({ kind: 'stream', path: '/dev/stderr', exists: true, fd: 2 });
    expect(await outputTarget('/proc/self/fd/1')).toMatchObject({ kind: 'stream', fd: 1 });
    const toStdout = join(dir, 'to-stdout');
    await symlink('/dev/stdout', toStdout);
    expect(await outputTarget(toStdout)).toMatchObject({ kind: 'stream', fd: 1 });
    const file = join(dir, 'target.txt');
    await writeFile(file, '');
    await symlink('target.txt', join(dir, 'to-file'));
    expect(await outputTarget(join(dir, 'to-file'))).toEqual({ kind: 'file', path: file, exists: true });
    expect(await outputTarget(join(dir, 'new.txt'))).toEqual({ kind: 'file', path: join(dir, 'new.txt'), exists: false });
    execFileSync('mkfifo', [join(dir, 'unit.fifo')]);
    expect(await outputTarget(join(dir, 'unit.fifo'))).toEqual({ kind: 'stream', path: join(dir, 'unit.fifo'), exists: true });
  });
});
