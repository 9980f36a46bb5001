// `govscan --help --lang vi` must translate every text help shows. The English texts live on the
// command classes; the Vietnamese ones in src/cli/help-vi.ts, keyed by command id and flag name.
// This test reads the command table itself, so a new command, flag, argument or topic without a
// Vietnamese text fails here, and so does a Vietnamese entry whose command or flag is gone.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from '@oclif/core';
import { commands as HELP_PLUGIN_COMMANDS } from '@oclif/plugin-help';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/index.js';
import { topicDescriptionVi } from '../../src/cli/help.js';
import { COMMANDS_VI, FLAG_GROUPS_VI, ROOT_VI, TOPICS_VI, type CommandHelpVi, type TextsVi } from '../../src/cli/help-vi.js';

const PKG = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as {
  description: string;
  oclif: { topics: Record<string, { description: string }> };
};

interface Texts {
  summary?: string | undefined;
  description?: string | undefined;
}

/** What help shows of one command, as oclif gathers it from the class. */
interface CommandInfo extends Texts {
  id: string;
  hidden?: boolean | undefined;
  examples?: unknown;
  args: Record<string, { description?: string | undefined; hidden?: boolean | undefined }>;
  flags: Record<string, Texts & { hidden?: boolean | undefined; helpGroup?: string | undefined }>;
}

type CommandClass = Pick<CommandInfo, 'summary' | 'description' | 'hidden' | 'examples'> & {
  args?: CommandInfo['args'];
  flags?: CommandInfo['flags'];
  baseFlags?: CommandInfo['flags'];
};

function info(id: string, c: CommandClass): CommandInfo {
  return {
    id,
    summary: c.summary,
    description: c.description,
    hidden: c.hidden,
    examples: c.examples,
    args: c.args ?? {},
    flags: { ...c.baseFlags, ...c.flags },
  };
}

/** @oclif/plugin-autocomplete's commands, as its manifest describes them (the package exports none). */
const AUTOCOMPLETE = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../node_modules/@oclif/plugin-autocomplete/oclif.manifest.json', import.meta.url)), 'utf8'),
) as {
  commands: Record<string, CommandClass>;
};

/** Every command `govscan --help` lists: the command table, then @oclif/plugin-help's `help` and the completion commands. */
const ALL: CommandInfo[] = [
  ...Object.entries(COMMANDS as Record<string, CommandClass>).map(([id, c]) => info(id, c)),
  ...Object.entries(HELP_PLUGIN_COMMANDS as Record<string, CommandClass>).map(([id, c]) => info(id, c)),
  ...Object.entries(AUTOCOMPLETE.commands).map(([id, c]) => info(id, c)),
];

/** Topics help lists (names with a command under them), described as oclif describes them. */
function topics(commands: readonly CommandInfo[]): { name: string; description: string | undefined }[] {
  const out = new Map<string, string | undefined>();
  for (const c of commands.filter((c) => !c.hidden)) {
    const parts = c.id.split(':');
    for (let n = 1; n < parts.length; n++) {
      const name = parts.slice(0, n).join(':');
      if (!out.has(name)) out.set(name, PKG.oclif.topics[name]?.description ?? (c.summary || c.description));
    }
  }
  return [...out].map(([name, description]) => ({ name, description }));
}

/** One English text and its Vietnamese counterpart: both or neither, and not the English copied. */
function pair(where: string, en: string | undefined, vi: string | undefined, problems: string[]): void {
  if (!en) {
    if (vi !== undefined) problems.push(`${where}: Vietnamese text for an English text that does not exist`);
    return;
  }
  if (!vi?.trim()) problems.push(`${where}: no Vietnamese text`);
  else if (vi.trim() === en.trim()) problems.push(`${where}: Vietnamese text is the English one`);
}

function flagTexts(flag: Texts, entry: string | TextsVi | undefined): TextsVi {
  if (typeof entry !== 'string') return entry ?? {};
  return flag.summary && !flag.description ? { summary: entry } : { description: entry };
}

function problemsOf(commands: readonly CommandInfo[], catalogue: Record<string, CommandHelpVi>): string[] {
  const problems: string[] = [];
  const ids = new Set(commands.map((c) => c.id));
  for (const id of Object.keys(catalogue)) if (!ids.has(id)) problems.push(`${id}: in the catalogue but no such command`);
  for (const c of commands.filter((c) => !c.hidden)) {
    const vi = catalogue[c.id];
    if (!vi) {
      problems.push(`${c.id}: no Vietnamese help`);
      continue;
    }
    pair(`${c.id} summary`, c.summary, vi.summary, problems);
    pair(`${c.id} description`, c.description, vi.description, problems);
    for (const [name, arg] of Object.entries(c.args))
      if (!arg.hidden) pair(`${c.id} argument ${name}`, arg.description, vi.args?.[name], problems);
    for (const name of Object.keys(vi.args ?? {}))
      if (!(name in c.args)) problems.push(`${c.id} argument ${name}: in the catalogue but no such argument`);
    for (const [name, flag] of Object.entries(c.flags)) {
      if (flag.hidden) continue;
      const t = flagTexts(flag, vi.flags[name]);
      if (!flag.summary && !flag.description) problems.push(`${c.id} --${name}: no English text either`);
      pair(`${c.id} --${name} summary`, flag.summary, t.summary, problems);
      pair(`${c.id} --${name}`, flag.description, t.description, problems);
      if (flag.helpGroup && !FLAG_GROUPS_VI[flag.helpGroup.toUpperCase()])
        problems.push(`${c.id} --${name}: flag group ${flag.helpGroup} has no Vietnamese name`);
    }
    for (const name of Object.keys(vi.flags)) if (!(name in c.flags)) problems.push(`${c.id} --${name}: in the catalogue but no such flag`);
    // Examples are shown as written: command lines need no translation, prose would.
    for (const example of [c.examples ?? []].flat()) {
      if (typeof example !== 'string' || example.split('\n').some((line) => !line.includes('<%= config.bin %>'))) {
        problems.push(`${c.id}: example ${JSON.stringify(example)} has prose, which help-vi.ts cannot translate yet`);
      }
    }
  }
  return problems;
}

describe('every text of `govscan --help` exists in Vietnamese', () => {
  it('reads the whole command table (the scan itself works)', () => {
    const ids = ALL.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['scan', 'server', 'server:token:create', 'fleet:findings', 'help', 'autocomplete']));
    expect(ids.length).toBe(Object.keys(COMMANDS).length + 1 + Object.keys(AUTOCOMPLETE.commands).length);
    expect(Object.keys(ALL.find((c) => c.id === 'scan')?.flags ?? {})).toEqual(expect.arrayContaining(['inventory', 'fail-on', 'lang']));
  });

  it('has every command summary and description, argument and flag in Vietnamese, and nothing stale', () => {
    expect(problemsOf(ALL, COMMANDS_VI)).toEqual([]);
  });

  it('has every topic in Vietnamese: those package.json declares, and those named after their first command', () => {
    const problems: string[] = [];
    for (const name of Object.keys(TOPICS_VI))
      if (!PKG.oclif.topics[name]) problems.push(`topic ${name}: in the catalogue but not in package.json`);
    const listed = topics(ALL);
    expect(listed.map((t) => t.name)).toEqual(
      expect.arrayContaining(['checks', 'evidence', 'server', 'server:token', 'server:enrollment']),
    );
    const commands = ALL as unknown as Command.Loadable[];
    for (const topic of listed) pair(`topic ${topic.name}`, topic.description, topicDescriptionVi(topic, commands), problems);
    expect(problems).toEqual([]);
    // An undeclared topic speaks with its first command's Vietnamese summary, as it does in English.
    expect(topicDescriptionVi({ name: 'server:token', description: COMMANDS['server:token:create'].summary }, commands)).toBe(
      COMMANDS_VI['server:token:create']?.summary,
    );
  });

  it('has the root description in Vietnamese', () => {
    expect(ROOT_VI.trim()).not.toBe('');
    expect(ROOT_VI).not.toBe(PKG.description);
  });

  it('catches a new flag, argument or command without a translation (the check is not a rubber stamp)', () => {
    const scan = ALL.find((c) => c.id === 'scan') as CommandInfo;
    const grown: CommandInfo[] = [
      {
        ...scan,
        flags: { ...scan.flags, 'new-flag': { description: 'A flag added later' } },
        args: { ...scan.args, extra: { description: 'An argument added later' } },
      },
      { id: 'report:new', summary: 'A command added later', args: {}, flags: {} },
      { id: 'help', description: 'Display help', args: {}, flags: { verbose: { summary: 'Short', description: 'Long' } } },
    ];
    const catalogue: Record<string, CommandHelpVi> = {
      scan: COMMANDS_VI.scan as CommandHelpVi,
      help: { description: 'Hiển thị trợ giúp', flags: { verbose: 'Ngắn', gone: 'Đã bỏ' } },
      'report:old': { summary: 'Cũ', flags: {} },
    };
    expect(problemsOf(grown, catalogue)).toEqual([
      'report:old: in the catalogue but no such command',
      'scan argument extra: no Vietnamese text',
      'scan --new-flag: no Vietnamese text',
      'report:new: no Vietnamese help',
      'help --verbose summary: no Vietnamese text',
      'help --gone: in the catalogue but no such flag',
    ]);
  });
});
