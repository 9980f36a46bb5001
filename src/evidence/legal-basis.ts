// Which security-level regime a run judges by. The regimes are policy packs with effective dates
// (vn-nd85-2016, vn-nd331-2026) that share rule ids, so exactly one is loaded per run: the one named
// by --legal-basis, else the inventory's `legalBasis`, else the newest pack in effect on the run's
// date. Pure: no I/O, no clock but `now`.

import { InputError } from '../engine/errors.js';

/** Selector name → pack id. Adding a regime is adding a pack and a line here. */
export const LEGAL_BASES: Readonly<Record<string, string>> = Object.freeze({
  'nd85-2016': 'vn-nd85-2016',
  'nd331-2026': 'vn-nd331-2026',
});

export type ChosenBy = 'flag' | 'inventory' | 'policy' | 'dates';

export interface LegalBasisRequest {
  /** --legal-basis, or a regime pack named with --policy. */
  legalBasis?: string;
  chosenBy?: ChosenBy;
  /** The run's date; the real clock when absent. */
  now?: Date;
}

export interface LegalBasisChoice {
  id: string;
  policy: string;
  chosenBy: ChosenBy;
}

interface PackDates {
  id: string;
  effective: { from?: string; to?: string };
}

export function isRegimePack(policyId: string): boolean {
  return Object.values(LEGAL_BASES).includes(policyId);
}

export function legalBasisOfPack(policyId: string): string | undefined {
  return Object.entries(LEGAL_BASES).find(([, pack]) => pack === policyId)?.[0];
}

/** The regime for a run, from the packs' own effective dates when nothing names one. Null without regime packs. */
export function chooseLegalBasis(packs: readonly PackDates[], req: LegalBasisRequest): LegalBasisChoice | null {
  if (req.legalBasis !== undefined) {
    const policy = LEGAL_BASES[req.legalBasis];
    if (!policy) {
      throw new InputError(null, null, null, `unknown legal basis "${req.legalBasis}" (known: ${Object.keys(LEGAL_BASES).join(', ')})`);
    }
    return { id: req.legalBasis, policy, chosenBy: req.chosenBy ?? 'flag' };
  }
  const regimes = packs.filter((p) => isRegimePack(p.id));
  if (!regimes.length) return null;
  const today = (req.now ?? new Date()).toISOString().slice(0, 10);
  const from = (p: PackDates): string => p.effective.from ?? '0000-00-00';
  const started = regimes.filter((p) => from(p) <= today).sort((a, b) => (from(a) < from(b) ? 1 : -1));
  const inEffect = started.filter((p) => !p.effective.to || today <= p.effective.to);
  // In a transition both are in effect: the newer regime is the default, the older one stays selectable.
  const pick = inEffect[0] ?? started[0] ?? [...regimes].sort((a, b) => (from(a) < from(b) ? -1 : 1))[0];
  if (!pick) return null;
  return { id: legalBasisOfPack(pick.id) ?? pick.id, policy: pick.id, chosenBy: 'dates' };
}

/** The packs without the regimes that were not chosen. */
export function withLegalBasis<P extends PackDates>(packs: readonly P[], choice: LegalBasisChoice | null): P[] {
  return packs.filter((p) => !isRegimePack(p.id) || p.id === choice?.policy);
}
