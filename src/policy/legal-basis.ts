// Which security-level regime (legal basis) judges each system. The regimes are policy packs with a
// `metadata.regime` (vn-nd85-2016, vn-nd331-2026) that share rule ids, so every system is judged by
// exactly one of them, chosen in this order:
//   --legal-basis (the whole run) > the system's `legalBasis` in the inventory (its entry, else the
//   inventory's) > the `legalBasis` of its evidence manifest > the dates.
// By the dates: during a transition (the new regime has taken effect, the old one has not yet ended)
// a system approved before the new regime took effect keeps the old one, any other takes the new
// one; before that the old one applies, after it the new one. The dates are the packs' effective
// dates, which may be parameters (secondary sources), so they are read after --param is applied.
// Pure: no I/O, no clock but `today`.

import { InputError } from '../core/errors.js';
import type { Lang, Localized, SystemLegalBasis, Target } from '../core/types.js';
import { displayDate } from '../core/i18n/dates.js';
import { format } from '../core/i18n/index.js';
import type { LoadedPolicy } from './types.js';
import { EVIDENCE_MESSAGES, LEGAL_BASIS_MESSAGES as M } from '../evidence/messages.js';

export type LegalBasisChoice = SystemLegalBasis;
type ChosenBy = SystemLegalBasis['chosenBy'];
/** Where a pack stands on a date. `in-transition`: its successor has taken effect, it has not ended yet. */
export type RegimeState = SystemLegalBasis['state'];

/** What is known about one system before it is probed. */
export interface SystemBasisInput {
  /** `legalBasis` of the system's inventory entry, else of the inventory, with where it is written. */
  inventory?: { id: string; where: string };
  /** `legalBasis` of the system's evidence manifest. */
  manifest?: { id: string; file: string };
  /** `approval.date` of the manifest (YYYY-MM-DD). */
  approved?: string;
}

export interface RegimeRun {
  /** Every loaded pack (the regime packs among them are the candidates). */
  policies: readonly LoadedPolicy[];
  /** --legal-basis. */
  flag?: string;
  /** The regime packs were named with --policy (not loaded by default). */
  named: boolean;
  /** The run's date, YYYY-MM-DD. */
  today: string;
}

function regimePacks(policies: readonly LoadedPolicy[]): LoadedPolicy[] {
  return policies.filter((p) => p.regime !== undefined);
}

/** Whether `policy` judges `target`: every pack does, except a regime pack on a system judged by another regime. */
export function judgesTarget(
  policy: Pick<LoadedPolicy, 'id' | 'regime'>,
  target: { system?: { legalBasis?: { policy: string } } },
): boolean {
  const chosen = target.system?.legalBasis?.policy;
  return !policy.regime || chosen === undefined || chosen === policy.id;
}

/** The state of a pack on `today`, its successor (a regime pack that replaces it) taken into account. */
export function packState(pack: LoadedPolicy, all: readonly LoadedPolicy[], today: string): RegimeState {
  const { from, to } = pack.effective;
  if (from && today < from) return 'not-yet';
  if (to && today > to) return 'ended';
  const id = pack.regime?.id;
  const successor = id ? all.find((p) => p.regime?.replaces === id && (!p.effective.from || p.effective.from <= today)) : undefined;
  return successor ? 'in-transition' : 'in-effect';
}

/**
 * The regime choice of a run: its packs (parameters applied, so dates follow --param), --legal-basis,
 * whether packs were named with --policy, and its date. Checks the flag (exit 2 when its pack is not loaded).
 */
export function regimeRun(
  policies: readonly LoadedPolicy[],
  req: { legalBasis?: string; policies: readonly string[]; now?: Date },
): RegimeRun {
  const run: RegimeRun = {
    policies,
    ...(req.legalBasis !== undefined ? { flag: req.legalBasis } : {}),
    named: req.policies.length > 0,
    today: (req.now ?? new Date()).toISOString().slice(0, 10),
  };
  checkLegalBasisFlag(run);
  return run;
}

/** --legal-basis must name a regime whose pack the run loaded. Throws InputError (exit 2) otherwise. */
export function checkLegalBasisFlag(run: RegimeRun): void {
  if (run.flag === undefined) return;
  const regimes = regimePacks(run.policies);
  if (regimes.some((p) => p.regime?.id === run.flag)) return;
  const vars = { id: run.flag, loaded: regimes.map((p) => `${p.regime?.id} (${p.id})`).join(', ') };
  const text = regimes.length ? M.flagNotLoaded : M.flagNoRegime;
  throw InputError.unlocated({ en: format(text.en, vars), vi: format(text.vi, vars) });
}

/** The regime of one system; null when the run loads no regime pack. */
export function chooseRegime(run: RegimeRun, input: SystemBasisInput): LegalBasisChoice | null {
  const regimes = regimePacks(run.policies);
  if (!regimes.length) return null;
  const byId = (id: string | undefined): LoadedPolicy | undefined => regimes.find((p) => p.regime?.id === id);
  const choice = (pack: LoadedPolicy, chosenBy: ChosenBy, reason: Localized): LegalBasisChoice => ({
    id: pack.regime?.id ?? pack.id,
    policy: pack.id,
    chosenBy,
    reason,
    state: packState(pack, run.policies, run.today),
  });
  const flagged = byId(run.flag);
  if (flagged) return choice(flagged, 'flag', M.byFlag);
  const [only] = regimes;
  if (run.named && regimes.length === 1 && only) return choice(only, 'policy', text(M.byPolicy, { pack: only.id }));
  const fromInventory = byId(input.inventory?.id);
  if (fromInventory && input.inventory) return choice(fromInventory, 'inventory', text(M.byInventory, { where: input.inventory.where }));
  const fromManifest = byId(input.manifest?.id);
  if (fromManifest && input.manifest) return choice(fromManifest, 'manifest', text(M.byManifest, { file: input.manifest.file }));
  const dated = byDates(regimes, run.today, input.approved);
  return choice(dated.pack, 'dates', dated.reason);
}

function byDates(regimes: readonly LoadedPolicy[], today: string, approved: string | undefined): { pack: LoadedPolicy; reason: Localized } {
  const from = (p: LoadedPolicy): string => p.effective.from ?? '0000-01-01';
  const started = regimes.filter((p) => from(p) <= today).sort((a, b) => (from(a) < from(b) ? 1 : -1));
  const newest = started[0];
  const earliest = [...regimes].sort((a, b) => (from(a) < from(b) ? -1 : 1))[0];
  if (!newest) {
    // Nothing has taken effect yet: the first regime to do so.
    const pack = earliest ?? regimes[0];
    if (!pack) throw new Error('byDates needs a regime pack');
    return { pack, reason: dated(M.noneYet, { name: pack.regime?.name, from: from(pack) }) };
  }
  const old = regimes.find((p) => p.regime?.id !== undefined && p.regime.id === newest.regime?.replaces);
  const next = regimes.filter((p) => from(p) > today).sort((a, b) => (from(a) < from(b) ? -1 : 1))[0];
  const end = old?.effective.to;
  if (old && end && today > end)
    return { pack: newest, reason: dated(M.transitionEnded, { old: old.regime?.name, to: end, name: newest.regime?.name }) };
  if (old && (!end || today <= end)) {
    const vars = { name: newest.regime?.name, old: old.regime?.name, from: from(newest), to: end ?? '', approved: approved ?? '' };
    if (approved && approved < from(newest)) return { pack: old, reason: dated(end ? M.approvedBefore : M.approvedBeforeNoEnd, vars) };
    return { pack: newest, reason: dated(approved ? M.approvedAfter : M.notApproved, vars) };
  }
  if (next)
    return { pack: newest, reason: dated(M.inEffectUntilNext, { name: newest.regime?.name, next: next.regime?.name, from: from(next) }) };
  return { pack: newest, reason: dated(M.inEffect, { name: newest.regime?.name, from: from(newest) }) };
}

/** Fill a template in both languages; Localized values pick their language, dates are written per language. */
function dated(template: Localized, vars: Record<string, Localized | string | undefined>): Localized {
  const fill = (lang: Lang): string => {
    const v: Record<string, string> = {};
    for (const [k, x] of Object.entries(vars)) v[k] = x === undefined ? '' : typeof x === 'string' ? displayDate(x, lang) : x[lang];
    return format(template[lang], v);
  };
  return { en: fill('en'), vi: fill('vi') };
}

function text(template: Localized, vars: Record<string, string>): Localized {
  return { en: format(template.en, vars), vi: format(template.vi, vars) };
}

/** The regime `evidence init` scaffolds for when none is named: the one a system approved today would take. */
export function defaultRegimeForNewSystem(policies: readonly LoadedPolicy[], today: string): string | null {
  return chooseRegime({ policies, named: false, today }, {})?.id ?? null;
}

/**
 * Choose the regime of every system the targets name (a `system://` target each) and record it on
 * the system, which every target of that system shares: evaluation then lets only that regime's pack
 * judge it (judgesTarget).
 */
export function assignLegalBases(
  targets: readonly Target[],
  run: RegimeRun,
  inputOf: (systemId: string) => SystemBasisInput,
): { system: string; choice: LegalBasisChoice }[] {
  if (!regimePacks(run.policies).length) return [];
  const chosen = new Map<string, LegalBasisChoice>();
  for (const t of targets) {
    const id = t.system?.id;
    if (t.kind !== 'system' || id === undefined || chosen.has(id)) continue;
    const choice = chooseRegime(run, inputOf(id));
    if (choice) chosen.set(id, choice);
  }
  for (const t of targets) {
    const choice = t.system ? chosen.get(t.system.id) : undefined;
    if (t.system && choice) t.system.legalBasis = choice;
  }
  return [...chosen].map(([system, choice]) => ({ system, choice }));
}

const BY: Record<ChosenBy, Localized> = {
  flag: EVIDENCE_MESSAGES.byFlag,
  inventory: EVIDENCE_MESSAGES.byInventory,
  manifest: EVIDENCE_MESSAGES.byManifest,
  policy: EVIDENCE_MESSAGES.byPolicy,
  dates: EVIDENCE_MESSAGES.byDates,
};

/** Systems named on stderr one by one; beyond this the report has them. */
const MAX_NOTICE_LINES = 20;

/**
 * What a command prints on stderr about the regimes: one line per system (its regime and why), and a
 * warning for each regime chosen explicitly although it has ended or has not yet taken effect.
 */
export function legalBasisNotices(
  legalBases: readonly { system: string; choice: LegalBasisChoice }[],
  policies: readonly LoadedPolicy[],
  lang: Lang,
): { info: string[]; warnings: string[] } {
  const info = legalBases
    .slice(0, MAX_NOTICE_LINES)
    .map(({ system, choice }) =>
      format(EVIDENCE_MESSAGES.legalBasis[lang], { system, id: choice.id, policy: choice.policy, reason: choice.reason[lang] }),
    );
  if (legalBases.length > MAX_NOTICE_LINES)
    info.push(format(EVIDENCE_MESSAGES.legalBasisMore[lang], { count: legalBases.length - MAX_NOTICE_LINES }));
  const groups = new Map<string, { choice: LegalBasisChoice; systems: string[] }>();
  for (const { system, choice } of legalBases) {
    if (choice.chosenBy === 'dates' || (choice.state !== 'ended' && choice.state !== 'not-yet')) continue;
    const key = `${choice.id}\u0000${choice.chosenBy}`;
    const g = groups.get(key) ?? { choice, systems: [] };
    g.systems.push(system);
    groups.set(key, g);
  }
  const warnings = [...groups.values()].map(({ choice, systems }) => {
    const pack = policies.find((p) => p.id === choice.policy);
    const successor = policies.find((p) => p.regime?.replaces !== undefined && p.regime.replaces === choice.id);
    const listed = systems.length > 5 ? `${systems.slice(0, 5).join(', ')}, …` : systems.join(', ');
    const vars = {
      id: choice.id,
      by: BY[choice.chosenBy][lang],
      count: systems.length,
      systems: listed,
      to: displayDate(pack?.effective.to ?? '', lang),
      from: displayDate(pack?.effective.from ?? '', lang),
      next: successor?.regime?.name[lang] ?? EVIDENCE_MESSAGES.currentRegime[lang],
    };
    return format((choice.state === 'ended' ? EVIDENCE_MESSAGES.regimeEnded : EVIDENCE_MESSAGES.regimeNotYet)[lang], vars);
  });
  return { info, warnings };
}
