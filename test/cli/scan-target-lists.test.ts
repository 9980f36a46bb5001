// Targets in bulk through the built CLI: `--targets-file` (one per line, comments, file:line errors,
// size limit) and `--from-nmap` fed by a real `nmap -sV -oX` run against a TLS server of the farm on
// loopback; the targets it yields are scanned (names pinned with --resolve, nothing leaves loopback).

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFarm, type Farm, type FarmEndpoint } from '../../src/lab/farm.js';
import type { Report } from '../../src/core/types.js';
import { runCli } from '../helpers/cli.js';

let dir: string;
let farm: Farm;
let good: FarmEndpoint;
let env: Record<string, string>;
/** What nmap wrote for the farm endpoint (scanned as 127.0.0.1, no name lookups). */
let nmapXml: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-target-lists-'));
  farm = await startFarm({ scenarios: ['good-ecdsa'], address: '127.0.0.1' });
  good = farm.endpoints[0]!;
  env = { NODE_EXTRA_CA_CERTS: farm.publicRootPemFile };
  // One port, no ping, no DNS (-n), light version detection: what an operator runs before a scan.
  const out = join(dir, 'nmap.xml');
  await promisify(execFile)('nmap', ['-sV', '-Pn', '-n', '--version-light', '-p', String(good.port), '-oX', out, '127.0.0.1'], {
    timeout: 120_000,
  });
  nmapXml = await readFile(out, 'utf8');
}, 150_000);
afterAll(async () => {
  await farm?.close();
  await rm(dir, { recursive: true, force: true });
});

async function scanJson(args: string[]): Promise<{ code: number | null; stderr: string; report: Report | null }> {
  const out = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const r = await runCli(
    [
      'scan',
      ...args,
      '--policy',
      'vn-ct02-2022-tls',
      '--ca-file',
      farm.nationalRootPemFile,
      '--format',
      'json',
      '--output',
      out,
      '--quiet',
      '--timeout',
      '3000',
    ],
    { env },
  );
  const report = await readFile(out, 'utf8').then(
    (t) => JSON.parse(t) as Report,
    () => null,
  );
  return { code: r.code, stderr: r.stderr, report };
}

function tlsOk(report: Report, key: string): boolean {
  return report.attempts.some((a) => a.target === key && a.check.startsWith('tls') && a.status === 'ok');
}

describe('--targets-file', () => {
  it('scans every listed target; comments, blank lines and CRLF are fine', { timeout: 60_000 }, async () => {
    const file = join(dir, 'targets.txt');
    await writeFile(
      file,
      `# portals of the agency\r\n\r\nhttps://${good.host}:${good.port}   # the web portal\r\n  ${good.host}:${good.port}\r\n# end\r\n`,
    );
    const { code, stderr, report } = await scanJson(['--targets-file', file, '--resolve', `${good.host}:${good.port}:127.0.0.1`]);
    expect(code, stderr).toBe(0);
    expect(report!.targets.map((t) => t.key)).toEqual([`https://${good.host}:${good.port}`, `tls://${good.host}:${good.port}`]);
    expect(tlsOk(report!, `https://${good.host}:${good.port}`)).toBe(true);
    // Where each target came from, for SARIF locations.
    expect(report!.targets[0]!.source).toEqual({ file, line: 3, column: 1 });
  });

  it('a bad line is FILE:LINE: what is wrong, exit 2, nothing scanned', { timeout: 30_000 }, async () => {
    const file = join(dir, 'bad-targets.txt');
    await writeFile(file, `# list\nhttps://${good.host}:${good.port}\nftp://files.example.gov.vn\n`);
    const r = await runCli(['scan', '--targets-file', file]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      `error: ${file}:3: "ftp://files.example.gov.vn": ftp:// endpoints are not supported yet (use https://, smtp://, smtps:// or host:port)\n`,
    );
    await writeFile(file, `portal.example.gov.vn:443 mail.example.gov.vn:465\n`);
    const two = await runCli(['scan', '--targets-file', file, '--lang', 'vi']);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe(
      `lỗi: ${file}:1: mỗi dòng một đối tượng quét: "portal.example.gov.vn:443 mail.example.gov.vn:465" có nhiều đối tượng quét\n`,
    );
  });

  it('a missing, empty or oversized list is exit 2 before anything is read or sent', { timeout: 30_000 }, async () => {
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '# nothing yet\n\n');
    // A sparse file: its size on disk says 10 MB + 1 byte, so it is refused without being read.
    const huge = join(dir, 'huge.txt');
    await writeFile(huge, '');
    await truncate(huge, 10 * 1024 * 1024 + 1);
    const [missing, none, big] = await Promise.all([join(dir, 'nope.txt'), empty, huge].map((f) => runCli(['scan', '--targets-file', f])));
    expect(missing!.code).toBe(2);
    expect(missing!.stderr).toBe(`error: ${join(dir, 'nope.txt')}: cannot read: no such file\n`);
    expect(none!).toMatchObject({ code: 2, stderr: `error: ${empty}: the file lists no target\n` });
    expect(big!.code).toBe(2);
    expect(big!.stderr).toBe(`error: ${huge}: larger than 10 MB (the limit for a target list; this one is 10.0 MB)\n`);
  });
});

describe('--from-nmap', () => {
  it('a real nmap -sV report of a TLS port gives its https:// target, which is scanned', { timeout: 60_000 }, async () => {
    // What nmap saw: the port open, TLS, and an HTTP answer inside it (the farm's server has no
    // banner nmap knows, so light version detection names it "unknown" with that fingerprint).
    expect(nmapXml).toMatch(new RegExp(`portid="${good.port}"><state state="open"`));
    expect(nmapXml).toMatch(/<service name="[a-z]+"[^>]* tunnel="ssl"/);
    const file = join(dir, 'real.xml');
    await writeFile(file, nmapXml);
    const { code, stderr, report } = await scanJson(['--from-nmap', file]);
    // The certificate names the farm host, not 127.0.0.1: a finding (exit 1), but the TLS probe ran.
    expect([0, 1], stderr).toContain(code);
    expect(report!.targets.map((t) => t.key)).toEqual([`https://127.0.0.1:${good.port}`]);
    expect(tlsOk(report!, `https://127.0.0.1:${good.port}`)).toBe(true);
  });

  it('uses the host name nmap recorded, IPv6 hosts bracketed; closed and plain ports are left out', { timeout: 60_000 }, async () => {
    // The same real report, as nmap writes it when given a name (type="user") and more ports.
    const named = nmapXml
      .replace(
        /<hostnames\s*\/>|<hostnames>[\s\S]*?<\/hostnames>/,
        `<hostnames><hostname name="${good.host}" type="user"/><hostname name="ptr.example" type="PTR"/></hostnames>`,
      )
      .replace(
        '</ports>',
        '<port protocol="tcp" portid="80"><state state="open" reason="syn-ack"/><service name="http" method="probed"/></port>' +
          '<port protocol="tcp" portid="8443"><state state="closed" reason="reset"/><service name="https-alt" method="table"/></port>' +
          '<port protocol="tcp" portid="465"><state state="open" reason="syn-ack"/><service name="smtp" tunnel="ssl" method="probed"/></port>' +
          '<port protocol="udp" portid="443"><state state="open" reason="udp-response"/><service name="https" method="table"/></port></ports>',
      );
    expect(named).not.toBe(nmapXml);
    const v6 = `<?xml version="1.0"?>\n<nmaprun scanner="nmap"><host><status state="up"/><address addr="::1" addrtype="ipv6"/><hostnames/><ports><port protocol="tcp" portid="${good.port}"><state state="open"/><service name="ssl" method="probed"/></port></ports></host><host><status state="down"/><address addr="127.0.0.9" addrtype="ipv4"/></host></nmaprun>\n`;
    const [namedFile, v6File] = [join(dir, 'named.xml'), join(dir, 'v6.xml')];
    await Promise.all([writeFile(namedFile, named), writeFile(v6File, v6)]);
    const { code, stderr, report } = await scanJson(['--from-nmap', namedFile, '--resolve', `${good.host}:*:127.0.0.1`]);
    expect(code, stderr).toBe(0);
    expect(report!.targets.map((t) => t.key)).toEqual([`https://${good.host}:${good.port}`, `tls://${good.host}:465`]);
    expect(tlsOk(report!, `https://${good.host}:${good.port}`)).toBe(true);
    // The farm's certificate is valid for that name: the hostname rule passes.
    expect(
      report!.findings.find((f) => f.target === `https://${good.host}:${good.port}` && f.ruleId === 'TLS-CERT-HOSTNAME')?.outcome,
    ).toBe('pass');

    const six = await scanJson(['--from-nmap', v6File]);
    expect(six.report!.targets.map((t) => t.key)).toEqual([`tls://[::1]:${good.port}`]);
  });

  it('malformed XML is FILE:LINE:COL (exit 2); entities are never expanded; no TLS port or no nmap report is exit 2', {
    timeout: 60_000,
  }, async () => {
    const broken = join(dir, 'broken.xml');
    await writeFile(broken, nmapXml.replace('</ports>', '</port>'));
    const r = await runCli(['scan', '--from-nmap', broken]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(new RegExp(`^error: ${broken.replace(/[.]/g, '\\.')}:\\d+:\\d+: not well-formed XML: .+\\n$`));

    // An external entity is refused outright (it would put a local file into the host name); an
    // internal one is never expanded: the literal text is no host name, so nmap's address is used.
    const xxe = join(dir, 'xxe.xml');
    await writeFile(
      xxe,
      `<?xml version="1.0"?>\n<!DOCTYPE nmaprun [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n<nmaprun><host><status state="up"/><address addr="127.0.0.1" addrtype="ipv4"/><hostnames><hostname name="&xxe;" type="user"/></hostnames><ports><port protocol="tcp" portid="${good.port}"><state state="open"/><service name="https"/></port></ports></host></nmaprun>\n`,
    );
    const external = await runCli(['scan', '--from-nmap', xxe]);
    expect(external.code).toBe(2);
    expect(external.stderr).toBe(`error: ${xxe}: not usable as an nmap report: External entities are not supported\n`);
    const internal = join(dir, 'entity.xml');
    await writeFile(internal, (await readFile(xxe, 'utf8')).replace('SYSTEM "file:///etc/hostname"', '"portal.example.gov.vn"'));
    const ent = await scanJson(['--from-nmap', internal]);
    expect(ent.report!.targets.map((t) => t.key)).toEqual([`https://127.0.0.1:${good.port}`]);

    const plain = join(dir, 'plain.xml');
    await writeFile(
      plain,
      `<?xml version="1.0"?>\n<nmaprun><host><status state="up"/><address addr="127.0.0.1" addrtype="ipv4"/><ports><port protocol="tcp" portid="22"><state state="open"/><service name="ssh"/></port></ports></host></nmaprun>\n`,
    );
    const none = await runCli(['scan', '--from-nmap', plain]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: .*plain\.xml: the nmap report shows no open port with a TLS service \(scan with -sV/);

    const other = join(dir, 'junit.xml');
    await writeFile(other, '<?xml version="1.0"?>\n<testsuites><testsuite name="x"/></testsuites>\n');
    const wrong = await runCli(['scan', '--from-nmap', other, '--lang', 'vi']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe(
      `lỗi: ${other}: không phải báo cáo XML của nmap (phần tử gốc là <testsuites>, không phải <nmaprun>): hãy tạo bằng nmap -oX FILE\n`,
    );
  });
});
