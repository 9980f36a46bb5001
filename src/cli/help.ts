// govscan's oclif help class (package.json "oclif.helpClass"): in Vietnamese (--lang vi, or
// GOVSCAN_LANG=vi; see help-lang.ts) it shows the texts of help-vi.ts and translates oclif's own
// headings and flag notes; in English it is oclif's Help untouched. oclif imports this module only
// to show help, so `govscan --version` and every command run never load it or its catalogue.
//
// Commands and topics are translated as copies handed to oclif's formatters: the originals belong
// to the loaded config (and oclif's formatters rewrite ids in place), so they are never changed.

import { stripVTControlCharacters } from 'node:util';
import { type Command, CommandHelp, Help, type Interfaces, ux } from '@oclif/core';
import type { Lang } from '../core/types.js';
import { envLang } from '../core/i18n/index.js';
import { helpLang } from './help-lang.js';
import { COMMANDS_VI, FLAG_GROUPS_VI, FLAG_META_VI, HEADINGS_VI, ROOT_VI, TOPICS_VI, type TextsVi } from './help-vi.js';

type SectionBody = Parameters<Help['section']>[1];

/** oclif formats ids with the topic separator in place: look texts up by the `a:b` id. */
function idOf(name: string): string {
  return name.replaceAll(' ', ':');
}

function mapValues<T, R>(record: Record<string, T> | undefined, fn: (value: T, key: string) => R): Record<string, R> {
  return Object.fromEntries(Object.entries(record ?? {}).map(([key, value]) => [key, fn(value, key)]));
}

export function headingVi(header: string): string {
  const exact = HEADINGS_VI[header];
  if (exact) return exact;
  // oclif heads a flag group `<GROUP> FLAGS`.
  const group = /^(.+) FLAGS$/.exec(header)?.[1];
  return group ? `${HEADINGS_VI.FLAGS} ${FLAG_GROUPS_VI[group] ?? group}` : header;
}

/** The notes oclif writes around a flag's or argument's text: [default: x, env: Y], (required), <options: a|b>. */
function notesVi(text: string): string {
  return text
    .replace('(required)', `(${FLAG_META_VI.required})`)
    .replace('[default: ', `[${FLAG_META_VI.default}: `)
    .replace(/(\[|, )env: /, `$1${FLAG_META_VI.env}: `)
    .replace('<options: ', `<${FLAG_META_VI.options}: `);
}

/**
 * A flag's Vietnamese texts. A plain string replaces the one text the flag has (its summary if it
 * has only that, else its description); a flag with both needs both. Missing ones stay English.
 */
function flagVi(flag: Command.Flag.Cached, texts: string | TextsVi | undefined, defaultValue: unknown): Command.Flag.Cached {
  const t: TextsVi =
    typeof texts === 'string' ? (flag.summary && !flag.description ? { summary: texts } : { description: texts }) : (texts ?? {});
  return {
    ...flag,
    summary: flag.summary && (t.summary || flag.summary),
    description: flag.description && (t.description || flag.description),
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
  } as Command.Flag.Cached;
}

/**
 * The command with its Vietnamese texts. `langDefault` is what --lang really defaults to: the
 * manifest holds the default of the environment that built it, not of the user's.
 */
export function commandVi(cmd: Command.Loadable, langDefault?: Lang): Command.Loadable {
  const t = COMMANDS_VI[idOf(cmd.id)];
  return {
    ...cmd,
    summary: cmd.summary && (t?.summary || cmd.summary),
    description: cmd.description && (t?.description || cmd.description),
    args: mapValues(cmd.args, (arg, name) => ({ ...arg, description: arg.description && (t?.args?.[name] || arg.description) })),
    flags: mapValues(cmd.flags, (flag, name) =>
      flagVi(flag, t?.flags[name], name === 'lang' && flag.type === 'option' ? langDefault : undefined),
    ),
  };
}

/**
 * A topic's Vietnamese description. oclif describes a topic package.json does not declare by the
 * summary of the first command under it, so such a topic takes that command's Vietnamese text.
 */
export function topicDescriptionVi(topic: Interfaces.Topic, commands: readonly Command.Loadable[]): string | undefined {
  const name = idOf(topic.name);
  const declared = TOPICS_VI[name];
  if (declared) return declared;
  const source = commands.find((c) => idOf(c.id).startsWith(`${name}:`) && (c.summary || c.description) === topic.description);
  if (!source) return undefined;
  const vi = commandVi(source);
  return vi.summary || vi.description;
}

/** oclif's placeholders for a value, in the usage line and the flag labels. */
function placeholdersVi(text: string): string {
  return text.replaceAll('<value>', `<${FLAG_META_VI.value}>`).replaceAll('<option>', `<${FLAG_META_VI.option}>`);
}

class CommandHelpVi extends CommandHelp {
  override section(header: string, body: SectionBody): string {
    return super.section(headingVi(header), body);
  }

  protected override usage(): string {
    return placeholdersVi(super.usage());
  }

  protected override flags(flags: Command.Flag.Any[]): [string, string | undefined][] | undefined {
    return super.flags(flags)?.map(([label, text]) => [placeholdersVi(label), text && notesVi(text)]);
  }

  protected override args(args: Command.Arg.Any[]): [string, string | undefined][] | undefined {
    return super.args(args)?.map(([label, text]) => [label, text && notesVi(text)]);
  }
}

export default class GovscanHelp extends Help {
  private readonly vi = helpLang(process.argv.slice(2), process.env) === 'vi';
  private readonly langDefault = envLang(process.env);

  constructor(config: Interfaces.Config, opts: Partial<Interfaces.HelpOptions> = {}) {
    super(config, opts);
    if (this.vi) this.CommandHelpClass = CommandHelpVi;
  }

  protected override get sortedCommands(): Command.Loadable[] {
    const commands = super.sortedCommands;
    return this.vi ? commands.map((c) => commandVi(c, this.langDefault)) : commands;
  }

  protected override get sortedTopics(): Interfaces.Topic[] {
    const topics = super.sortedTopics;
    return this.vi ? topics.map((t) => this.topicVi(t)) : topics;
  }

  override async showCommandHelp(command: Command.Loadable): Promise<void> {
    return super.showCommandHelp(this.vi ? commandVi(command, this.langDefault) : command);
  }

  protected override async showTopicHelp(topic: Interfaces.Topic): Promise<void> {
    return super.showTopicHelp(this.vi ? this.topicVi(topic) : topic);
  }

  override section(header: string, body: SectionBody): string {
    return super.section(this.vi ? headingVi(header) : header, body);
  }

  /** oclif's RootHelp (not exported) with the Vietnamese description; its sections go through section(). */
  override formatRoot(): string {
    if (!this.vi) return super.formatRoot();
    const theme = this.config.theme;
    const usage = `${ux.colorize(theme?.dollarSign, '$')} ${ux.colorize(theme?.bin, this.config.bin)} ${ux.colorize(theme?.sectionDescription, '[COMMAND]')}`;
    const output = [
      ux.colorize(theme?.commandSummary, this.render(ROOT_VI)),
      this.section('VERSION', this.wrap(ux.colorize(theme?.version, this.config.userAgent))),
      this.section(this.opts.usageHeader || 'USAGE', this.wrap(usage)),
    ].join('\n\n');
    return this.opts.stripAnsi ? stripVTControlCharacters(output) : output;
  }

  private topicVi(topic: Interfaces.Topic): Interfaces.Topic {
    return { ...topic, description: topicDescriptionVi(topic, this.config.commands) ?? topic.description };
  }
}
