// The Vietnamese output read as a reviewer would (issue 12 item 8): every lab scenario — the TLS farm,
// the IPv6 lab, the example agency with its evidence — scanned once with --lang vi into JSON, then
// turned into every other format by `report convert` (no rescans), plus `evidence verify`,
// `policy list/show` and the dashboard's words. Nothing may show a raw boolean, empty quotes, CEL,
// an ISO timestamp, a JavaScript leftover or an English word outside the terms that stay English.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Log } from 'sarif';
import { startFarm, type Farm } from '../../src/lab/farm.js';
import { IPV6_SCENARIOS, startIpv6Lab, type Ipv6Lab } from '../../src/lab/dns-lab.js';
import { mapLimit, runCli } from '../helpers/cli.js';
import { reviewVietnamese } from '../helpers/vietnamese-review.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FORMATS = ['table', 'sarif', 'html', 'junit'] as const;

let dir: string;
let farm: Farm;
let lab: Ipv6Lab;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-vi-review-'));
  [farm, lab] = await Promise.all([startFarm(), startIpv6Lab()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([farm?.close(), lab?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every `vi` text of a JSON document (the localised fields of a report). */
function viStrings(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const v of node) viStrings(v, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'vi' && typeof v === 'string') out.push(v);
      else viStrings(v, out);
    }
  }
  return out;
}

/** What a reader sees of an HTML page: text and titles, not markup, styles or scripts. */
function visibleText(html: string): string {
  return (
    html
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      // Evidence rows name a fact path and its value: the path and the value's field names are identifiers.
      .replace(
        /<li><code>[^<]*<\/code> = <code>([^<]*)<\/code>/g,
        (_, value: string) => `<li>${value.replace(/(^|; )[A-Za-z0-9.]+: /g, '$1')}`,
      )
      // Remediation code spans are what a user types (a directive, a command): code, as in the markdown.
      .replace(/<code>([^<]*)<\/code>/g, '`$1`')
      .replace(/\btitle="([^"]*)"/gi, '>$1<')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
  );
}

/** JUnit as a CI page shows it: suite and case names, failure messages and bodies. */
function junitText(xml: string): string {
  const attrs = [...xml.matchAll(/\b(?:name|message)="([^"]*)"/g)].map((m) => m[1] ?? '');
  const bodies = [...xml.matchAll(/>([^<]+)</g)].map((m) => m[1] ?? '');
  return visibleText([...attrs, ...bodies].join('\n'));
}

/** SARIF texts a code-scanning page shows. */
function sarifText(log: Log): string {
  const out: string[] = [];
  for (const run of log.runs) {
    for (const r of run.tool.driver.rules ?? [])
      out.push(r.shortDescription?.text ?? '', r.fullDescription?.text ?? '', r.help?.text ?? '', r.help?.markdown ?? '');
    for (const res of run.results ?? []) out.push(res.message.text ?? '');
  }
  return out.join('\n');
}

/** Scan once into JSON, convert to every format, and review all of it. */
async function reviewScenario(name: string, scanArgs: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<string[]> {
  const json = join(dir, `${name}.json`);
  const scan = await runCli([...scanArgs, '--lang', 'vi', '--format', 'json', '--output', json, '--quiet', '--fail-on', 'none'], {
    env,
    cwd,
    timeoutMs: 180_000,
  });
  expect(scan.code, `${name}: ${scan.stderr}`).toBe(0);
  const problems = reviewVietnamese(scan.stderr, `${name} scan stderr`);
  const report = JSON.parse(await readFile(json, 'utf8')) as unknown;
  problems.push(...viStrings(report).flatMap((t, i) => reviewVietnamese(t, `${name} json vi #${i}`)));
  const outputs = await mapLimit(FORMATS, 2, async (to) => ({
    to,
    r: await runCli(['report', 'convert', json, '--to', to, '--lang', 'vi'], { timeoutMs: 60_000 }),
  }));
  for (const { to, r } of outputs) {
    expect(r.code, `${name} ${to}: ${r.stderr}`).toBe(0);
    const text =
      to === 'sarif'
        ? sarifText(JSON.parse(r.stdout) as Log)
        : to === 'html'
          ? visibleText(r.stdout)
          : to === 'junit'
            ? junitText(r.stdout)
            : r.stdout;
    expect(text.length, `${name} ${to}`).toBeGreaterThan(200);
    problems.push(...reviewVietnamese(text, `${name} ${to}`));
  }
  return problems;
}

describe('Vietnamese output, read as a reviewer would', () => {
  it('the reviewer notices leftovers (the check itself works)', () => {
    expect(reviewVietnamese("kết nối được: false; quy chế '' ngày 2026-11-30T03:27:09.000Z", 'sample')).toHaveLength(3);
    expect(reviewVietnamese('(TCP connect to 127.0.0.1:6514 failed: ECONNREFUSED)', 'sample').join('\n')).toMatch(/English word "connect"/);
    expect(reviewVietnamese('không đạt: facts.manifest.found && undefined', 'sample')).toHaveLength(2);
    expect(
      reviewVietnamese(
        'Chứng thư số của portal.example.gov.vn:443 (TLS, OCSP, IPv6) đã hết hạn vào 30/11/2026 03:27 UTC; TLS-CERT-EXPIRED',
        'sample',
      ),
    ).toEqual([]);
  });

  it('the TLS farm, in every format', { timeout: 240_000 }, async () => {
    const endpoints = farm.endpoints.filter((e) => !e.scenario.hostile);
    const args = ['scan', ...endpoints.map((e) => `https://${e.host}:${e.port}`)];
    for (const e of endpoints) args.push('--resolve', `${e.host}:${e.port}:${e.address}`);
    args.push('--ca-file', farm.nationalRootPemFile, '--timeout', '3000');
    expect(await reviewScenario('tls-farm', args, { NODE_EXTRA_CA_CERTS: farm.publicRootPemFile })).toEqual([]);
  });

  it('the IPv6 lab, in every format', { timeout: 240_000 }, async () => {
    const args = [
      'scan',
      ...IPV6_SCENARIOS.map((s) => s.domain),
      ...lab.args(),
      '--policy',
      'vn-ct02-2022-ipv6',
      '--timeout',
      '3000',
      '--target-timeout',
      '60000',
    ];
    expect(await reviewScenario('ipv6-lab', args)).toEqual([]);
  });

  it('the example agency with its evidence, in every format, and evidence verify', { timeout: 240_000 }, async () => {
    const env = { GOVSCAN_NOW: '2026-12-02T03:00:00Z' };
    const problems = await reviewScenario(
      'agency',
      ['scan', '--inventory', 'examples/agency/inventory.yaml', '--ca-file', 'examples/agency/ca/example-root.pem'],
      env,
    );
    for (const system of ['cong-dvc', 'cong-ttdt', 'mot-cua']) {
      const r = await runCli(
        [
          'evidence',
          'verify',
          `examples/agency/evidence/${system}/evidence.yaml`,
          '--ca-file',
          'examples/agency/ca/example-root.pem',
          '--lang',
          'vi',
          '--fail-on',
          'none',
          '--quiet',
        ],
        { env, timeoutMs: 60_000 },
      );
      expect(r.code, r.stderr).toBe(0);
      problems.push(...reviewVietnamese(r.stdout + r.stderr, `evidence verify ${system}`));
    }
    expect(problems).toEqual([]);
  });

  it('policy list and policy show of every built-in pack', { timeout: 120_000 }, async () => {
    const list = await runCli(['policy', 'list', '--lang', 'vi']);
    expect(list.code, list.stderr).toBe(0);
    const problems = reviewVietnamese(list.stdout, 'policy list');
    const ids = [...list.stdout.matchAll(/^\s*(vn-[a-z0-9.-]+)/gm)].map((m) => m[1] ?? '');
    expect(ids.length).toBeGreaterThanOrEqual(6);
    const shown = await mapLimit(ids, 2, async (id) => ({ id, r: await runCli(['policy', 'show', id, '--lang', 'vi']) }));
    for (const { id, r } of shown) {
      expect(r.code, r.stderr).toBe(0);
      problems.push(...reviewVietnamese(r.stdout, `policy show ${id}`));
    }
    expect(problems).toEqual([]);
  });

  it('the dashboard words', async () => {
    const catalogue = JSON.parse(await readFile(join(ROOT, 'src/server/dashboard/public/assets/i18n.json'), 'utf8')) as {
      vi: Record<string, string>;
    };
    const problems = Object.entries(catalogue.vi).flatMap(([key, text]) => reviewVietnamese(text, `dashboard ${key}`));
    expect(problems).toEqual([]);
  });
});
