import { Flags } from '@oclif/core';
import { GovscanCommand } from '../../cli/base.js';
import { DEFAULT_CONFIG_FILE, type FlagTable } from '../../cli/config-file.js';
import { defineMessages, format, localize } from '../../core/i18n/index.js';
import type { Lang } from '../../core/types.js';
import Scan from '../scan.js';

const MESSAGES = defineMessages({
  file: { en: 'Settings file: {file}', vi: 'Tệp cấu hình: {file}' },
  noFile: { en: 'Settings file: none (no ./{file} here)', vi: 'Tệp cấu hình: không có (không có ./{file} ở thư mục này)' },
  heading: { en: 'SETTING|VALUE|FROM', vi: 'THIẾT LẬP|GIÁ TRỊ|NGUỒN' },
  fromFlag: { en: 'command line', vi: 'dòng lệnh' },
  fromEnv: { en: 'environment {where}', vi: 'biến môi trường {where}' },
  fromFile: { en: 'file {where}', vi: 'tệp cấu hình {where}' },
  fromDefault: { en: 'default', vi: 'mặc định' },
  notSet: { en: '(not set)', vi: '(chưa đặt)' },
  yes: { en: 'yes', vi: 'có' },
  no: { en: 'no', vi: 'không' },
});

export default class ConfigShow extends GovscanCommand {
  static override summary = 'Show the effective settings of govscan scan and where each comes from';
  static override description =
    `Each setting of govscan scan with its value and where it comes from, in this order of precedence: a flag on the command line, then its environment variable GOVSCAN_<FLAG> (upper case, dashes as underscores: --fail-on is GOVSCAN_FAIL_ON; repeatable flags take a comma-separated list), then the settings file, then the default. The settings file is --config FILE, else GOVSCAN_CONFIG, else ./${DEFAULT_CONFIG_FILE} when present: YAML with one key per flag (fail-on: medium, ca-file: [anchors.pem]). Give the same flags as to scan to see what a run would use.`;
  static override examples = [
    '<%= config.bin %> config show',
    '<%= config.bin %> config show --config ci/govscan.yaml --fail-on critical',
    'GOVSCAN_FAIL_ON=medium <%= config.bin %> config show --json',
  ];
  static override strict = false;
  static override args = Scan.args;
  static override flags = { ...Scan.flags, json: Flags.boolean({ default: false, description: 'Print JSON' }) };

  async run(): Promise<void> {
    const { configuredInput, effectiveSettings } = await import('../../cli/settings.js');
    const configured = await configuredInput(ConfigShow, this.argv);
    const { flags, raw } = await this.parse(configured.input);
    this.lang = flags.lang;
    const settings = effectiveSettings(ConfigShow.flags as FlagTable, flags, raw, configured.settings).filter((s) => s.name !== 'json');
    if (flags.json) {
      const out = {
        file: configured.settings?.file ?? null,
        settings: Object.fromEntries(
          settings.map((s) => [s.name, { value: s.value ?? null, source: s.source, ...(s.where ? { where: s.where } : {}) }]),
        ),
      };
      this.log(JSON.stringify(out, null, 2));
      return;
    }
    const lang = this.lang;
    this.log(
      configured.settings
        ? localize(MESSAGES.file, lang, { file: configured.settings.file })
        : localize(MESSAGES.noFile, lang, { file: DEFAULT_CONFIG_FILE }),
    );
    this.log('');
    const rows = [
      MESSAGES.heading[lang].split('|'),
      ...settings.map((s) => [
        `--${s.name}`,
        shown(s.value, lang),
        format(
          s.source === 'flag'
            ? MESSAGES.fromFlag[lang]
            : s.source === 'env'
              ? MESSAGES.fromEnv[lang]
              : s.source === 'file'
                ? MESSAGES.fromFile[lang]
                : MESSAGES.fromDefault[lang],
          { where: s.where },
        ),
      ]),
    ];
    const widths = [0, 1].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
    for (const r of rows)
      this.log(`${(r[0] ?? '').padEnd(widths[0] ?? 0)}  ${(r[1] ?? '').padEnd(widths[1] ?? 0)}  ${r[2] ?? ''}`.trimEnd());
  }
}

function shown(value: unknown, lang: Lang): string {
  if (value === undefined || value === null || (Array.isArray(value) && !value.length)) return MESSAGES.notSet[lang];
  if (typeof value === 'boolean') return (value ? MESSAGES.yes : MESSAGES.no)[lang];
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}
