// Shared behaviour of every govscan command: the --lang flag, and errors that reach the user as
// one clear line with the right exit code (2 bad input, 3 could not run), never as a stack trace.

import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { InputError, ScanError } from '../engine/errors.js';
import type { Lang } from '../engine/types.js';
import { envLang, localize } from '../i18n/index.js';
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
      const message = (err as Error).message.replace(/\s*\n\s*/g, ' ').replace(/ See more help with --help$/, '');
      throw new InputError(null, null, null, `${message} (see --help)`);
    }
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof Errors.ExitError) throw err;
    // Messages quote input (a file's text, a server's answer): control characters in them are shown, not obeyed.
    if (err instanceof InputError) {
      process.stderr.write(localize(M.inputError, this.lang, { message: terminalText(err.messageIn(this.lang)) }) + '\n');
      return this.exit(EXIT.input);
    }
    if (err instanceof ScanError) {
      process.stderr.write(localize(M.inputError, this.lang, { message: terminalText(err.message) }) + '\n');
      return this.exit(EXIT.scan);
    }
    if (process.env.GOVSCAN_DEBUG) process.stderr.write(`${err.stack ?? err.message}\n`);
    process.stderr.write(localize(M.internalError, this.lang, { message: terminalText(err.message) }) + '\n');
    return this.exit(EXIT.scan);
  }
}
