// govscan-agent's command line, parsed by hand: importing oclif alone costs ~12 MB of RSS, which the
// resident loop (target ≤ 60 MB idle) would never give back. Bad input is one line and exit 2; a run
// that cannot start is exit 3; never a stack trace.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError, ScanError } from '../src/core/errors.js';
import type { Lang } from '../src/core/types.js';
import { M as CLI } from '../src/cli/messages.js';
import { envLang, isLang, localize } from '../src/core/i18n/index.js';
import { envName } from '../src/cli/env-flags.js';
import { createLog, type AgentLog } from './log.js';
import { AGENT_MESSAGES as M } from './messages.js';

// interrupted: 128 + SIGTERM, what a shell reports for a process the signal ended.
export const EXIT = { ok: 0, input: 2, run: 3, interrupted: 143 } as const;

interface Parsed {
  command: string;
  flags: Map<string, string | true>;
}

/** Which options each command takes, and whether they take a value. */
const COMMANDS: Record<string, Record<string, 'value' | 'bool'>> = {
  enroll: { '--server': 'value', '--secret': 'value', '--config': 'value', '--force': 'bool' },
  run: { '--once': 'bool', '--config': 'value' },
  // Internal: the loop's children.
  __config: { '--config': 'value' },
  __run: { '--config': 'value' },
};

function parse(argv: readonly string[], lang: Lang): Parsed | 'help' | 'version' {
  if (!argv.length || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') return 'help';
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') return 'version';
  const [command = '', ...rest] = argv;
  const spec = COMMANDS[command];
  if (!spec) throw InputError.unlocated(localize(M.unknownCommand, lang, { command }));
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const kind = spec[name];
    if (!kind) throw InputError.unlocated(localize(M.unknownFlag, lang, { flag: name, command }));
    if (kind === 'bool') {
      flags.set(name, true);
      continue;
    }
    const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--')))
      throw InputError.unlocated(localize(M.missingValue, lang, { flag: name }));
    flags.set(name, value);
  }
  fromEnvironment(spec, flags, process.env);
  return { command, flags };
}

/**
 * Options not given on the command line, from GOVSCAN_<OPTION> as govscan's own flags (src/cli/env-flags.ts):
 * `--server` from GOVSCAN_SERVER, `--secret` from GOVSCAN_SECRET (kept out of `ps` and shell history),
 * `--force` and `--once` on when 1, true, y or yes. The configuration file keeps its own variable
 * GOVSCAN_AGENT_CONFIG (GOVSCAN_CONFIG names govscan scan's settings file). Flag > variable > file > default.
 */
function fromEnvironment(spec: Record<string, 'value' | 'bool'>, flags: Map<string, string | true>, env: NodeJS.ProcessEnv): void {
  for (const [name, kind] of Object.entries(spec)) {
    if (flags.has(name) || name === '--config') continue;
    const value = env[envName(name.slice(2))];
    if (!value) continue;
    if (kind === 'value') flags.set(name, value);
    else if (/^(1|true|y|yes)$/i.test(value)) flags.set(name, true);
  }
}

function str(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** The configuration file to use, and whether the user named it (a named file must exist). */
function configPath(flags: Map<string, string | true>): { file: string; named: boolean } {
  const named = str(flags, '--config') ?? process.env.GOVSCAN_AGENT_CONFIG;
  // config.ts's DEFAULT_CONFIG_FILE, spelt out: importing config.ts would load yaml and ajv here.
  return named ? { file: named, named: true } : { file: '/etc/govscan/agent.yaml', named: false };
}

/** `--lang` may stand anywhere (it decides how every other complaint is worded): taken out first. */
function takeLang(argv: readonly string[]): { lang: Lang; rest: string[] } | { bad: string } {
  let lang = envLang();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg !== '--lang' && !arg.startsWith('--lang=')) {
      rest.push(arg);
      continue;
    }
    const value = arg === '--lang' ? argv[++i] : arg.slice('--lang='.length);
    if (value === undefined || !isLang(value)) return { bad: value ?? '' };
    lang = value;
  }
  return { lang, rest };
}

export async function main(argv: readonly string[]): Promise<number> {
  const taken = takeLang(argv);
  if ('bad' in taken) return fail(envLang(), InputError.unlocated(localize(M.badLang, envLang(), { value: taken.bad })));
  const { lang, rest } = taken;
  const log = createLog(lang);
  try {
    const parsed = parse(rest, lang);
    if (parsed === 'help') {
      process.stdout.write(localize(M.usage, lang) + '\n');
      return EXIT.ok;
    }
    if (parsed === 'version') {
      const { toolVersion } = await import('../src/core/version.js');
      process.stdout.write(`govscan-agent ${toolVersion()} (node ${process.version})\n`);
      return EXIT.ok;
    }
    return await dispatch(parsed, lang, log);
  } catch (err) {
    return fail(lang, err);
  }
}

async function dispatch({ command, flags }: Parsed, lang: Lang, log: AgentLog): Promise<number> {
  const { file, named } = configPath(flags);
  switch (command) {
    case 'enroll': {
      const secret = str(flags, '--secret');
      if (!secret) throw InputError.unlocated(localize(M.missingFlag, lang, { flag: '--secret' }));
      const { defaultAgentConfig, loadAgentConfig } = await import('./config.js');
      // Enrolment needs no configuration file; one that is named must be valid.
      const config = named || existsSync(file) ? await loadAgentConfig(file) : defaultAgentConfig();
      const server = str(flags, '--server') ?? config.server.url;
      if (!server) throw InputError.unlocated(localize(M.noServer, lang));
      if (!/^https?:\/\/[^\s/]+\/?$/i.test(server) || !URL.canParse(server))
        throw InputError.unlocated(localize(M.badServerUrl, lang, { value: server }));
      // Said before anything is sent: the secret is what would cross the network in clear.
      (await import('./exposure.js')).warnIfPlainHttp(server, log);
      const { enroll } = await import('./enroll.js');
      const token = await enroll({ server, secret, config, force: flags.has('--force'), lang, log });
      process.stdout.write(localize(M.enrolled, lang, { agentId: token.agentId, agency: token.agency, file: config.tokenFile }) + '\n');
      return EXIT.ok;
    }
    case 'run':
      if (flags.has('--once')) return runOnceCommand(file, lang, log, true);
      return (await import('./loop.js')).runLoop({ bin: agentBin(), configFile: file, lang, log });
    case '__run':
      return runOnceCommand(file, lang, log, false);
    case '__config': {
      const { loadAgentConfig } = await import('./config.js');
      process.stdout.write(JSON.stringify(await loadAgentConfig(file)) + '\n');
      return EXIT.ok;
    }
  }
  return EXIT.input;
}

/** One run in this process; `deliver`: also drain the spool once (run --once), else leave it to the loop. */
async function runOnceCommand(file: string, _lang: Lang, log: AgentLog, deliver: boolean): Promise<number> {
  const [{ loadAgentConfig }, { readTokenOrWarn }, { runOnce, RunInterrupted }] = await Promise.all([
    import('./config.js'),
    import('./token.js'),
    import('./run.js'),
  ]);
  const config = await loadAgentConfig(file);
  const stop = new AbortController();
  let signalName = '';
  const onSignal = (signal: NodeJS.Signals): void => {
    signalName = signal;
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const token = await readTokenOrWarn(config.tokenFile, log);
    // The loop warned when it started; its runs (`__run`) need not say it again every interval.
    if (deliver)
      await (await import('./exposure.js')).warnAboutExposure(config.server.url ?? token?.server, token ? config.tokenFile : null, log);
    if (!token) return EXIT.run;
    try {
      await runOnce(config, token, { log, signal: stop.signal });
    } catch (err) {
      if (err instanceof RunInterrupted) {
        log.warn(M.runInterrupted, { signal: signalName || 'SIGTERM' });
        // A batch already spooled by an earlier run is still there; this run wrote none.
        return EXIT.interrupted;
      }
      throw err;
    }
    if (deliver && !stop.signal.aborted) {
      const [{ deliverOnce }, { Spool }] = await Promise.all([import('./loop.js'), import('./spool.js')]);
      const spool = await new Spool(config.spool.directory, { maxBytes: config.spool.maxBytes, log }).open();
      await deliverOnce(config, spool, log, stop.signal);
    }
    return EXIT.ok;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/** bin/agent.js, from which the loop forks its children. */
function agentBin(): string {
  return process.argv[1] ?? fileURLToPath(new URL('../../bin/agent.js', import.meta.url));
}

/** As the govscan CLI reports errors (src/cli/base.ts), with its wording. */
function fail(lang: Lang, err: unknown): number {
  if (err instanceof InputError || err instanceof ScanError) {
    process.stderr.write(localize(CLI.inputError, lang, { message: err.message }) + '\n');
    return err instanceof InputError ? EXIT.input : EXIT.run;
  }
  if (process.env.GOVSCAN_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.stderr.write(localize(CLI.internalError, lang, { message: err instanceof Error ? err.message : String(err) }) + '\n');
  return EXIT.run;
}
