// `command_not_found` hook: a mistyped command says which one was meant, in the user's language,
// and exits 127 (as a shell does for an unknown command) without waiting for anything. It replaces
// @oclif/plugin-not-found, whose own hook (run beside this one) answered first on Node 22 with a bare
// warning and prompts on a terminal.

import type { Hook } from '@oclif/core';
import { defineMessages, envLang, isLang, localize } from '../core/i18n/index.js';
import type { Lang } from '../core/types.js';
import { terminalText } from '../report/terminal-text.js';

const NOT_FOUND = defineMessages({
  suggest: {
    en: 'error: "{typed}" is not a {bin} command; did you mean "{bin} {suggestion}"? ({bin} --help lists the commands)',
    vi: 'lỗi: "{typed}" không phải lệnh của {bin}; có phải ý bạn là "{bin} {suggestion}"? ({bin} --help liệt kê các lệnh)',
  },
  none: {
    en: 'error: "{typed}" is not a {bin} command ({bin} --help lists the commands)',
    vi: 'lỗi: "{typed}" không phải lệnh của {bin} ({bin} --help liệt kê các lệnh)',
  },
});

const hook: Hook<'command_not_found'> = async (opts) => {
  // The command line as typed: oclif hands the hook what it could not place, without the flag names.
  const lang = langOf(process.argv.slice(2));
  const words = opts.id.split(':');
  const ids = opts.config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases]);
  // Each command is compared with as many typed words as it has: `scna https://x` is `scna` mistyped.
  let best: { id: string; distance: number } | null = null;
  for (const id of ids) {
    const parts = id.split(':');
    const typed = words.slice(0, parts.length).join(':');
    const distance = editDistance(typed.toLowerCase(), id);
    if (distance <= Math.max(1, Math.floor(id.length / 3)) && (!best || distance < best.distance)) best = { id, distance };
  }
  const typed = words.slice(0, best ? best.id.split(':').length : 1).join(' ');
  const bin = opts.config.bin;
  // Never a prompt (a CI job or a script must not wait for input): the suggestion is printed and the
  // exit code is 127, on a terminal too.
  const text = best
    ? localize(NOT_FOUND.suggest, lang, { typed: terminalText(typed), bin, suggestion: best.id.replace(/:/g, ' ') })
    : localize(NOT_FOUND.none, lang, { typed: terminalText(typed), bin });
  // Exit here, before the plugin's own hook (still loading its prompt library) adds an English
  // warning: one line in the user's language, then 127, whatever the order the hooks finish in.
  process.stderr.write(text + '\n', () => process.exit(127));
  await new Promise(() => {});
};

/** --lang from the rest of the command line, else GOVSCAN_LANG. */
function langOf(argv: readonly string[]): Lang {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const value = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice(7) : undefined;
    if (value !== undefined && isLang(value)) return value;
  }
  return envLang();
}

/** Edit distance counting a swap of two neighbours as one edit (`scna` is one edit from `scan`). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

export default hook;
