// Shared behaviour of every govscan command: the --lang flag, and errors that reach the user as
// one clear line with the right exit code (2 bad input, 3 could not run), never as a stack trace.

import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { InputError, ScanError } from '../core/errors.js';
import type { Lang } from '../core/types.js';
import { envLang, localize } from '../core/i18n/index.js';
import { M } from './messages.js';
import { terminalText } from '../report/terminal-text.js';

export const EXIT = { ok: 0, findings: 1, input: 2, scan: 3, interrupted: 130 } as const;

/**
 * A flag given once per value (`--resolve a --resolve b`). Non-greedy: the word after its value is an
 * argument again, so `scan --ca-file ca.pem https://portal…` keeps its target. Every `multiple` flag of
 * every command is made with this (test/cli/repeatable-flags.test.ts checks them all).
 */
export function repeatable(opts: { description: string; char?: 'p'; helpValue?: string }) {
  return Flags.string({ ...opts, multiple: true, multipleNonGreedy: true });
}

export const langFlag = Flags.option({
  options: ['en', 'vi'] as const,
  default: envLang(),
  description: 'Language of messages and reports (en, vi); GOVSCAN_LANG sets the default',
})();

/** `--no-color` (and `--color` to undo it): plain text on a terminal; see cli/color.ts for FORCE_COLOR and NO_COLOR. */
export const colorFlag = Flags.boolean({
  allowNo: true,
  description: 'Colour the terminal output (--no-color: plain text); FORCE_COLOR and NO_COLOR are read too',
});

export abstract class GovscanCommand extends Command {
  protected lang: Lang = envLang();

  /** Every complaint about the command line itself (unknown flag, out-of-range value) is a usage error: exit 2. */
  protected override async parse<F extends Record<string, unknown>, B extends Record<string, unknown>, A extends Record<string, unknown>>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    try {
      return await super.parse(options, argv);
    } catch (err) {
      if (err instanceof Errors.ExitError) throw err;
      // oclif says "Parsing --timeout \n\tExpected an integer…": one line, with a colon after the flag.
      const message = (err as Error).message
        .replace(/^Parsing (--?[\w-]+)\s*\n\s*/, 'Parsing $1: ')
        .replace(/\s*\n\s*/g, ' ')
        .replace(/ See more help with --help$/, '');
      throw InputError.unlocated(`${message} (see --help)`);
    }
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof Errors.ExitError) throw err;
    if (err instanceof InputError) return this.fail('input', err.messageIn(this.lang), M.inputError, EXIT.input);
    if (err instanceof ScanError) return this.fail('scan', err.message, M.inputError, EXIT.scan);
    if (process.env.GOVSCAN_DEBUG) process.stderr.write(`${err.stack ?? err.message}\n`);
    return this.fail('internal', err.message, M.internalError, EXIT.scan);
  }

  /**
   * One error, then the exit code. Under `--json` it is `{"error":{"code","message"}}` on stdout, where
   * the JSON was asked for (as oclif's own --json commands print it), so a script reading stdout gets
   * JSON either way; otherwise one line on stderr. Messages quote input (a file's text, a server's
   * answer): on a terminal, control characters in them are shown, not obeyed.
   */
  private fail(code: 'input' | 'scan' | 'internal', message: string, line: (typeof M)['inputError'], exit: number): never {
    const dashDash = this.argv.indexOf('--');
    if ((dashDash < 0 ? this.argv : this.argv.slice(0, dashDash)).includes('--json')) {
      process.stdout.write(JSON.stringify({ error: { code, message } }) + '\n');
    } else {
      process.stderr.write(localize(line, this.lang, { message: terminalText(message) }) + '\n');
    }
    return this.exit(exit);
  }
}
