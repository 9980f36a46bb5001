// The one shape every check family exports from checks/<family>/index.ts, so the registry, the CLI,
// the agent and the shape test (test/checks/family-shape.test.ts) treat families alike. It lives in
// the leaf core because checks must never import the engine, policy, report or CLI that consume it.
// A family module stays light: probes are loaded when a check first runs, so the CLI can read the
// families' flags at start-up without paying for TLS, DNS or PDF code.

import type { Check, CheckContext, Localized } from './types.js';

/** A `scan` flag a family adds (and the agent fills from its defaults). */
export type FamilyOption =
  | { name: string; kind: 'boolean'; default: boolean; help: Localized }
  | { name: string; kind: 'string'; default: string; helpValue?: string; help: Localized }
  | { name: string; kind: 'choice'; choices: readonly string[]; default: string; help: Localized }
  /** Given once per value (`--port-map a --port-map b`). */
  | { name: string; kind: 'list'; helpValue?: string; help: Localized };

export type FamilyOptionValue = boolean | string | readonly string[];

/** Values of the families' options by flag name; a missing name takes the option's default. */
export type FamilyOptionValues = Readonly<Record<string, FamilyOptionValue | undefined>>;

/** What a family adds to every probe's context, built from its option values before any packet. */
export type FamilyContext = Partial<Pick<CheckContext, 'network' | 'tls'>>;

export interface CheckFamily {
  /** The family name: the `family` of each of its checks, and the prefix of their ids. */
  id: string;
  /** Every check id is `<prefix>.<name>` with one of these (the family's id, and any it also owns). */
  idPrefixes: readonly string[];
  title: Localized;
  checks: readonly Check[];
  options: readonly FamilyOption[];
  /**
   * Turns the option values into the context its probes read. Throws InputError on a bad value, so a
   * typo stops the run before any traffic.
   */
  prepare?(values: FamilyOptionValues): Promise<FamilyContext>;
  /** The built-in packs (policies/<id>.yaml) that judge its checks. */
  packs: readonly string[];
}

/** The value of a family option, its default when not given. */
export function optionValue(option: FamilyOption, values: FamilyOptionValues): FamilyOptionValue {
  const given = values[option.name];
  if (given !== undefined) return given;
  return option.kind === 'list' ? [] : option.default;
}

/** A probe loaded on first use (see above: family modules stay light). */
export function lazyProbe<F>(load: () => Promise<(target: Parameters<Check['run']>[0], ctx: CheckContext) => Promise<F>>): Check<F>['run'] {
  return async (target, ctx) => (await load())(target, ctx);
}
