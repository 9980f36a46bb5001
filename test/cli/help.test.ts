// `govscan --help` in Vietnamese (--lang vi anywhere on the line, or GOVSCAN_LANG=vi) and, without
// either, in English exactly as oclif printed it before govscan had its own help class. Runs the
// built CLI (bin/run.js, with oclif.manifest.json) as a user does, and renders every command and
// topic in-process against the same built config to cover what the spawned runs do not.

import { fileURLToPath } from 'node:url';
import { Config, Help } from '@oclif/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import GovscanHelp from '../../src/cli/help.js';
import { COMMANDS_VI, ROOT_VI, TOPICS_VI } from '../../src/cli/help-vi.js';
import { runCli } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCAN_SUMMARY_EN = 'Scan TLS endpoints and an inventory of systems, judge them against policy packs';

/** Help wraps to the terminal width: compare texts with their whitespace collapsed. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function headings(output: string): string[] {
  return output.split('\n').filter((line) => /^[^\s$a-z].*[^.:]$/u.test(line) && line === line.toUpperCase());
}

const vi = (id: string) => COMMANDS_VI[id] ?? { flags: {} };

describe('govscan --help in Vietnamese, from the built CLI', () => {
  it('govscan --help --lang vi: root description, topics and commands, with Vietnamese headings', async () => {
    const r = await runCli(['--help', '--lang', 'vi']);
    expect(r.code).toBe(0);
    expect(headings(r.stdout)).toEqual(['PHIÊN BẢN', 'CÁCH DÙNG', 'NHÓM LỆNH', 'LỆNH']);
    const text = flat(r.stdout);
    expect(text.startsWith(ROOT_VI)).toBe(true);
    for (const t of [TOPICS_VI.checks, TOPICS_VI.server, vi('scan').summary, vi('demo').summary, TOPICS_VI.evidence])
      expect(text).toContain(flat(t ?? '?'));
    expect(text).toContain('help Hiển thị trợ giúp cho govscan.');
    expect(text).not.toContain(SCAN_SUMMARY_EN);
  });

  it('govscan scan --help with GOVSCAN_LANG=vi: summary, description, every flag and oclif notes in Vietnamese', async () => {
    const r = await runCli(['scan', '--help'], { env: { GOVSCAN_LANG: 'vi' } });
    expect(r.code).toBe(0);
    expect(headings(r.stdout)).toEqual(['CÁCH DÙNG', 'ĐỐI SỐ', 'THAM SỐ', 'MÔ TẢ', 'VÍ DỤ']);
    const text = flat(r.stdout);
    const scan = vi('scan');
    expect(r.stdout.split('\n')[0]).toBe(scan.summary);
    expect(text).toContain(flat(scan.description ?? '?'));
    expect(text).toContain(flat(scan.args?.targets ?? '?'));
    for (const [name, t] of Object.entries(scan.flags))
      expect(text, `--${name}`).toContain(flat(typeof t === 'string' ? t : (t.description ?? '?')));
    expect(text).toContain('[mặc định: table, biến môi trường: GOVSCAN_FORMAT] Định dạng báo cáo <lựa chọn: table|json|sarif|junit|html>');
    // The environment that asked for Vietnamese is also --lang's real default.
    expect(text).toMatch(/--lang=<lựa chọn> \[mặc định: vi\] Ngôn ngữ/);
    // oclif's value placeholders too, in the usage line and the flag labels.
    expect(text).not.toMatch(/<value>|<option>/);
    expect(text).toContain('[--timeout <giá trị>]');
    // Examples are command lines, shown as written.
    expect(r.stdout).toContain('$ govscan scan --inventory inventory.yaml --format sarif --output govscan.sarif');
    expect(text).not.toMatch(/Report format|\[default:|<options:|Exit codes/);
  });

  it('govscan server token create --help --lang vi: required flag, env note and description in Vietnamese', async () => {
    const r = await runCli(['server', 'token', 'create', '--help', '--lang', 'vi']);
    expect(r.code).toBe(0);
    expect(headings(r.stdout)).toEqual(['CÁCH DÙNG', 'THAM SỐ', 'MÔ TẢ', 'VÍ DỤ']);
    const text = flat(r.stdout);
    const create = vi('server:token:create');
    expect(r.stdout.split('\n')[0]).toBe(create.summary);
    expect(text).toContain(flat(create.description ?? '?'));
    expect(text).toContain(
      '--role=<lựa chọn> (bắt buộc) viewer (chỉ đọc), admin (đọc và quản trị), soc (chiến dịch quét) hoặc worker (thực hiện việc của chiến dịch quét) <lựa chọn: viewer|admin|soc|worker>',
    );
    expect(text).toContain('[mặc định: sqlite:./govscan.db, biến môi trường: GOVSCAN_DB] Cơ sở dữ liệu');
    expect(text).toContain('[mặc định: en]');
    expect(text).not.toMatch(/\(required\)|env: |Prints only the token/);
  });

  it('a topic shown for a bare topic name (`govscan fleet --lang vi`) is Vietnamese too', async () => {
    const r = await runCli(['fleet', '--lang=vi']);
    expect(r.code).toBe(0);
    expect(headings(r.stdout)).toEqual(['CÁCH DÙNG', 'LỆNH']);
    expect(flat(r.stdout)).toContain(flat(`${TOPICS_VI.fleet}`));
    expect(flat(r.stdout)).toContain(flat(`fleet status ${vi('fleet:status').summary}`));
  });

  it('`govscan help X --lang vi` is the same Vietnamese help as `govscan X --help --lang vi`; `govscan help X` stays English', async () => {
    const viaHelp = await runCli(['help', 'server', 'token', 'create', '--lang', 'vi']);
    expect(viaHelp.code, viaHelp.stderr).toBe(0);
    expect(viaHelp.stdout).toBe((await runCli(['server', 'token', 'create', '--help', '--lang', 'vi'])).stdout);
    expect(viaHelp.stdout.split('\n')[0]).toBe(vi('server:token:create').summary);
    const english = await runCli(['help', 'scan']);
    expect(english.code).toBe(0);
    expect(english.stdout.split('\n')[0]).toBe(SCAN_SUMMARY_EN);
  });

  it('English without a language, and with --lang en over GOVSCAN_LANG=vi', async () => {
    const en = await runCli(['scan', '--help']);
    expect(en.code).toBe(0);
    expect(headings(en.stdout)).toEqual(['USAGE', 'ARGUMENTS', 'FLAGS', 'DESCRIPTION', 'EXAMPLES']);
    expect(en.stdout.split('\n')[0]).toBe(SCAN_SUMMARY_EN);
    expect(en.stdout).toMatch(/ {2}-f, --format=<option>\s+\[default: table, env: GOVSCAN_FORMAT\] Report format\n/);
    expect(en.stdout).not.toContain(vi('scan').summary);
    const overridden = await runCli(['scan', '--help', '--lang', 'en'], { env: { GOVSCAN_LANG: 'vi' } });
    expect(overridden.stdout).toBe(en.stdout);
  });
});

/** Help output as oclif's `showHelp(argv)` writes it, from a freshly loaded config (oclif's formatters rewrite command ids in place). */
async function render(HelpClass: typeof Help, argv: string[]): Promise<string> {
  const config = await Config.load(ROOT);
  const lines: string[] = [];
  const Capturing = class extends HelpClass {
    protected override log(...args: string[]): void {
      lines.push(args.join(' '));
    }
  };
  await new Capturing(config, { maxWidth: 80, stripAnsi: true }).showHelp(argv);
  return lines.join('\n');
}

describe('every command and topic, rendered by the help class against the built config', () => {
  const saved = process.env.GOVSCAN_LANG;
  beforeEach(() => void (process.env.GOVSCAN_LANG = ''));
  afterEach(() => void (saved === undefined ? delete process.env.GOVSCAN_LANG : (process.env.GOVSCAN_LANG = saved)));

  async function subjects(): Promise<{ argv: string[]; command?: Config['commands'][number] }[]> {
    const config = await Config.load(ROOT);
    const topics = config.topics.filter((t) => config.commands.some((c) => c.id.startsWith(`${t.name}:`)));
    expect(topics.length).toBeGreaterThanOrEqual(Object.keys(TOPICS_VI).length);
    return [
      { argv: [] },
      ...topics.map((t) => ({ argv: t.name.split(':') })),
      ...config.commands.map((command) => ({ argv: command.id.split(':'), command })),
    ];
  }

  it('in English, prints byte for byte what oclif’s own Help prints', async () => {
    const all = await subjects();
    expect(all.length).toBeGreaterThan(20);
    for (const { argv } of all) expect(await render(GovscanHelp, argv), argv.join(' ') || '(root)').toBe(await render(Help, argv));
  });

  it('in Vietnamese, shows no English heading, summary, description or flag text of any command', async () => {
    process.env.GOVSCAN_LANG = 'vi';
    for (const { argv, command } of await subjects()) {
      const out = await render(GovscanHelp, argv);
      const where = argv.join(' ') || '(root)';
      expect(
        headings(out).filter((h) => /^(USAGE|ARGUMENTS|FLAGS|DESCRIPTION|EXAMPLES|COMMANDS|TOPICS|VERSION)$/.test(h)),
        where,
      ).toEqual([]);
      if (!command) continue;
      const text = flat(out);
      const english = [
        command.summary,
        command.description,
        ...Object.values(command.flags).flatMap((f) => [f.summary, f.description]),
        ...Object.values(command.args).map((a) => a.description),
      ];
      for (const en of english) if (en) expect(text, `${where}: ${en}`).not.toContain(flat(en.replace('<%= config.bin %>', 'govscan')));
    }
  });
});
