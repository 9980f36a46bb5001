// Where each setting of a command comes from: flag > GOVSCAN_<FLAG> > settings file > default.
// oclif already reads a flag's `env` before its default, so the file's values become the defaults of
// the flag table the command is parsed with, and the order falls out of oclif's own. Repeatable flags
// are the exception: oclif would hand their variable over as one string, so it is split at commas
// here (`GOVSCAN_CA_FILE=a.pem,b.pem`, as Trivy's list variables) and checked against the choices.

import { InputError } from '../core/errors.js';
import { inFile, loadSettingsFile, locateSettingsFile, type FlagDefinition, type FlagTable, type SettingsFile } from './config-file.js';

export type SettingSource = 'flag' | 'env' | 'file' | 'default';

/** Variables read by a flag without oclif's `env` (see env-flags.ts NOT_FROM_ENV). */
const OWN_VARIABLES: Readonly<Record<string, string>> = { lang: 'GOVSCAN_LANG' };

export interface ConfiguredInput<T> {
  /** The command's parser input with the file's (and list variables') values as defaults. */
  input: T;
  /** The settings file read, or null. */
  settings: SettingsFile | null;
}

/** The variable a flag is read from, if any. */
export function variableOf(name: string, flag: FlagDefinition): string | undefined {
  return flag.env ?? OWN_VARIABLES[name];
}

/**
 * The command's input ready for `this.parse`: the settings file located from argv/env/cwd is read and
 * validated (exit 2 on any problem), then folded into the flags' defaults.
 */
export async function configuredInput<T extends { flags?: object }>(
  command: T,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<ConfiguredInput<T>> {
  const table = (command.flags ?? {}) as FlagTable;
  const located = locateSettingsFile(argv, env, cwd);
  const settings = located ? await loadSettingsFile(located.file, table, cwd) : null;
  const flags: Record<string, FlagDefinition> = {};
  for (const [name, flag] of Object.entries(table)) {
    const variable = variableOf(name, flag);
    const fromEnv = variable ? env[variable] : undefined;
    const fromFile = settings?.values.get(name)?.value;
    if (flag.multiple && flag.env) {
      const { env: _handledHere, ...rest } = flag;
      const list = fromEnv ? splitList(fromEnv, variable ?? name, flag) : undefined;
      flags[name] = list ? { ...rest, default: list } : fromFile !== undefined ? { ...rest, default: fromFile } : rest;
    } else if (fromFile !== undefined && !(variable && fromEnv)) {
      flags[name] = { ...flag, default: fromFile };
    } else {
      flags[name] = flag;
    }
  }
  return { input: { ...command, flags } as T, settings };
}

function splitList(text: string, variable: string, flag: FlagDefinition): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (flag.options && !flag.options.includes(item)) {
      throw new InputError(null, null, null, {
        en: `${variable}: "${item}" is not one of ${flag.options.join(', ')}`,
        vi: `${variable}: "${item}" không thuộc các giá trị ${flag.options.join(', ')}`,
      });
    }
  }
  return items;
}

export interface EffectiveSetting {
  name: string;
  value: unknown;
  source: SettingSource;
  /** The variable (env) or `file:line` (file) it came from. */
  where?: string;
}

/**
 * Every setting of a parsed command with where it came from: a flag on the command line (a token
 * oclif parsed), a non-empty variable, a key of the file, else the default.
 */
export function effectiveSettings(
  table: FlagTable,
  flags: Readonly<Record<string, unknown>>,
  raw: readonly { type: string; flag?: string }[],
  settings: SettingsFile | null,
  env: NodeJS.ProcessEnv = process.env,
): EffectiveSetting[] {
  const given = new Set(raw.filter((t) => t.type === 'flag').map((t) => t.flag));
  return Object.entries(table)
    .filter(([name]) => inFile(name))
    .map(([name, flag]): EffectiveSetting => {
      const value = flags[name];
      if (given.has(name)) return { name, value, source: 'flag' };
      const variable = variableOf(name, flag);
      if (variable && env[variable]) return { name, value, source: 'env', where: variable };
      const line = settings?.values.get(name)?.line;
      if (settings && line !== undefined) return { name, value, source: 'file', where: `${settings.file}:${line}` };
      return { name, value, source: 'default' };
    });
}
