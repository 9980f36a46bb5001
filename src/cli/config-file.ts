// govscan.yaml: the settings of `govscan scan` kept in a file, one key per flag (`fail-on: medium`,
// `ca-file: [anchors.pem]`), as Trivy's trivy.yaml and Checkov's .checkov.yaml. Its schema is made
// from the command's flag table, so a new flag is a new key with no second list to keep: booleans
// are booleans, a flag with choices takes one of them, an integer keeps its bounds, a repeatable flag
// takes a list. Every complaint is `file:line:col: what is wrong` (exit 2) before anything runs.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { InputError } from '../core/errors.js';
import { readInputText, unreadableReason } from '../core/input-limits.js';
import { compileSchema, schemaErrors } from '../core/schema-errors.js';
import { nodeAt, parseYaml, positionOf } from '../core/yaml-source.js';

/** The file read when neither --config nor GOVSCAN_CONFIG names one. */
export const DEFAULT_CONFIG_FILE = 'govscan.yaml';
const CONFIG_ENV = 'GOVSCAN_CONFIG';

export const CONFIG_FLAGS = {
  config: Flags.string({
    helpValue: 'FILE',
    env: CONFIG_ENV,
    description: `Settings file, one key per flag (default: ./${DEFAULT_CONFIG_FILE} when present). A flag given wins over GOVSCAN_<FLAG>, which wins over the file`,
  }),
};

/** What the schema needs to know of an oclif flag. */
export interface FlagDefinition {
  type: 'boolean' | 'option';
  multiple?: boolean;
  options?: readonly string[];
  min?: number;
  max?: number;
  default?: unknown;
  env?: string;
  parse?: unknown;
}
export type FlagTable = Readonly<Record<string, FlagDefinition>>;

/** Flags that are not settings: which file to read is decided before it is read. */
const NOT_IN_FILE: ReadonlySet<string> = new Set(['config', 'json']);

export function inFile(name: string): boolean {
  return !NOT_IN_FILE.has(name);
}

// oclif builds every integer flag with the same parse function: that is how one is recognised.
const INTEGER_PARSE = Flags.integer().parse;

/** The JSON Schema of a settings file for a command with these flags. */
function settingsSchema(flags: FlagTable): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(flags)) {
    if (!inFile(name)) continue;
    const one: Record<string, unknown> =
      flag.type === 'boolean'
        ? { type: 'boolean' }
        : flag.options
          ? { enum: [...flag.options] }
          : flag.parse === INTEGER_PARSE
            ? {
                type: 'integer',
                ...(flag.min !== undefined ? { minimum: flag.min } : {}),
                ...(flag.max !== undefined ? { maximum: flag.max } : {}),
              }
            : { type: 'string', minLength: 1 };
    properties[name] = flag.multiple ? { type: 'array', items: one } : one;
  }
  return { type: 'object', additionalProperties: false, properties };
}

/** One key of the file: its value and the line it is on. */
interface FileSetting {
  value: unknown;
  line: number;
}

export interface SettingsFile {
  /** As given (or the default name), for messages. */
  file: string;
  values: ReadonlyMap<string, FileSetting>;
}

/**
 * The settings file of this run: --config FILE (or --config=FILE) on the command line, else
 * GOVSCAN_CONFIG, else ./govscan.yaml when it exists. A named file must exist; none is fine.
 */
export function locateSettingsFile(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): { file: string; named: boolean } | null {
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  let named: string | undefined;
  args.forEach((arg, i) => {
    if (arg === '--config') named = args[i + 1];
    else if (arg.startsWith('--config=')) named = arg.slice('--config='.length);
  });
  named ??= env[CONFIG_ENV] || undefined;
  if (named !== undefined) return { file: named, named: true };
  return existsSync(resolve(cwd, DEFAULT_CONFIG_FILE)) ? { file: DEFAULT_CONFIG_FILE, named: false } : null;
}

/** Read and validate a settings file against the command's flags. Throws InputError (exit 2). */
export async function loadSettingsFile(file: string, flags: FlagTable, cwd: string): Promise<SettingsFile> {
  let text: string;
  try {
    text = await readInputText(resolve(cwd, file), 'settings');
  } catch (err) {
    if (err instanceof InputError) throw err;
    const why = unreadableReason(err);
    throw new InputError(file, null, null, {
      en: `cannot read the settings file: ${why.en}`,
      vi: `không đọc được tệp cấu hình: ${why.vi}`,
    });
  }
  const parsed = parseYaml(text, file);
  if (!parsed.ok) throw parsed.errors[0] ?? new InputError(file, 1, 1, 'YAML syntax error');
  // An empty file is valid: every setting keeps its default.
  const doc = parsed.value ?? {};
  const validate = compileSchema<Record<string, unknown>>(settingsSchema(flags));
  if (!validate(doc)) {
    const known = Object.keys(flags).filter(inFile);
    const [first] = schemaErrors(validate.errors ?? [], doc, parsed.source, {
      describePath: (path) => (path.length ? String(path[0]) : ''),
      // `fail_on` or `failOn` for `fail-on`: the key is the flag's name as typed on the command line.
      refine: (error, generic) => {
        const key =
          error.keyword === 'additionalProperties' ? String((error.params as { additionalProperty?: unknown }).additionalProperty) : null;
        const meant = key === null ? undefined : known.find((k) => k.replace(/-/g, '') === key.replace(/[-_]/g, '').toLowerCase());
        return meant ? { ...generic, detail: `${generic.detail} (the key is the flag's name: "${meant}")` } : undefined;
      },
    });
    throw first ?? new InputError(file, 1, 1, 'invalid settings file');
  }
  const values = new Map<string, FileSetting>();
  for (const [name, value] of Object.entries(doc)) {
    values.set(name, { value, line: positionOf(parsed.source, nodeAt(parsed.source, [name], true)).line });
  }
  return { file, values };
}
