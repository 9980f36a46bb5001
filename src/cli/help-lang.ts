// Which language oclif's help speaks. Help runs before any command parses its flags, so the
// command's --lang flag never gets the chance: read it from argv the same way the command would
// (`--lang vi`, `--lang=vi`, the last one winning, nothing after `--`), else GOVSCAN_LANG, which is
// also the flag's default (src/cli/base.ts). LANG/LC_ALL are not consulted: the messages and
// reports ignore them too, and help in one language over errors in the other would confuse.

import type { Lang } from '../core/types.js';
import { envLang, isLang } from '../core/i18n/index.js';

export function helpLang(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  let chosen: Lang | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    const value = arg === '--lang' ? argv[++i] : arg.startsWith('--lang=') ? arg.slice('--lang='.length) : undefined;
    // An invalid value (`--lang fr`) is the command's to reject; help just keeps the default.
    if (value !== undefined && isLang(value)) chosen = value;
  }
  return chosen ?? envLang(env);
}
