// The choice of a system's security-level regime (src/policy/legal-basis.ts), on the built-in
// packs and their dates. Pure: no CLI, no files.

import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { checkLegalBasisFlag, chooseRegime, packState, type RegimeRun } from '../../src/policy/legal-basis.js';
import { loadBuiltinPolicies, type LoadedPolicy } from '../../src/policy/index.js';
import { applyParams, parseParamArg } from '../../src/policy/params.js';
import { KNOWN } from './helpers.js';

let packs: LoadedPolicy[];
beforeAll(async () => {
  packs = await loadBuiltinPolicies(KNOWN);
});
const run = (today: string, more: Partial<RegimeRun> = {}): RegimeRun => ({ policies: packs, named: false, today, ...more });

describe('by the dates', () => {
  it('keeps Decree 85 before Decree 331, then during the transition for systems approved before it, then moves to Decree 331', () => {
    expect(chooseRegime(run('2026-01-01'), { approved: '2025-03-01' })).toMatchObject({
      id: 'nd85-2016',
      chosenBy: 'dates',
      state: 'in-effect',
    });
    expect(chooseRegime(run('2026-12-02'), { approved: '2026-08-18' })).toMatchObject({ id: 'nd85-2016', state: 'in-transition' });
    expect(chooseRegime(run('2026-12-02'), { approved: '2026-08-19' })).toMatchObject({ id: 'nd331-2026', state: 'in-effect' });
    expect(chooseRegime(run('2026-12-02'), {})?.reason.en).toMatch(/no approval date before 2026-08-19/);
    expect(chooseRegime(run('2027-06-30'), { approved: '2025-03-01' })?.id).toBe('nd85-2016');
    expect(chooseRegime(run('2027-07-01'), { approved: '2025-03-01' })).toMatchObject({ id: 'nd331-2026', chosenBy: 'dates' });
  });

  it('follows the date parameters (secondary sources) when an agency corrects them', () => {
    const moved = applyParams(
      packs,
      ['vn-nd331-2026:effectiveFrom=2026-10-01', 'vn-nd85-2016:transitionEnd=2027-12-31'].map(
        (t) => parseParamArg(t) ?? { name: '', value: '', source: 'flag' as const, where: '' },
      ),
    ).policies;
    expect(chooseRegime({ ...run('2026-12-02'), policies: moved }, { approved: '2026-09-15' })?.id).toBe('nd85-2016');
    expect(chooseRegime({ ...run('2027-08-01'), policies: moved }, { approved: '2025-03-01' })?.id).toBe('nd85-2016');
  });
});

describe('named regimes', () => {
  it('--legal-basis > the inventory > the manifest > the dates', () => {
    const all = {
      inventory: { id: 'nd85-2016', where: 'inv.yaml:3' },
      manifest: { id: 'nd331-2026', file: 'm.yaml' },
      approved: '2026-10-01',
    };
    expect(chooseRegime(run('2026-12-02', { flag: 'nd331-2026' }), all)).toMatchObject({ id: 'nd331-2026', chosenBy: 'flag' });
    expect(chooseRegime(run('2026-12-02'), all)).toMatchObject({ id: 'nd85-2016', chosenBy: 'inventory' });
    expect(chooseRegime(run('2026-12-02'), { ...all, inventory: undefined })).toMatchObject({ id: 'nd331-2026', chosenBy: 'manifest' });
  });

  it('an ended regime named explicitly still judges, in state "ended"', () => {
    expect(chooseRegime(run('2027-08-01', { flag: 'nd85-2016' }), {})).toMatchObject({ id: 'nd85-2016', state: 'ended' });
    const nd85 = packs.find((p) => p.id === 'vn-nd85-2016');
    if (!nd85) throw new Error('no nd85');
    expect(packState(nd85, packs, '2027-08-01')).toBe('ended');
  });

  it('one regime pack named with --policy judges every system', () => {
    const only = packs.filter((p) => p.id !== 'vn-nd331-2026');
    expect(
      chooseRegime({ ...run('2026-12-02', { named: true }), policies: only }, { manifest: { id: 'nd331-2026', file: 'm.yaml' } }),
    ).toMatchObject({ id: 'nd85-2016', chosenBy: 'policy' });
  });

  it('refuses --legal-basis whose pack the run did not load, in both languages', () => {
    const only = packs.filter((p) => p.id !== 'vn-nd331-2026');
    let err: unknown;
    try {
      checkLegalBasisFlag({ ...run('2026-12-02', { flag: 'nd331-2026', named: true }), policies: only });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(
      /--legal-basis nd331-2026: its policy pack is not loaded \(security-level packs loaded: nd85-2016 \(vn-nd85-2016\)\)/,
    );
    expect((err as InputError).messageIn('vi')).toMatch(/bộ quy tắc của căn cứ này không được nạp/);
  });

  it('chooses nothing when no regime pack is loaded', () => {
    expect(chooseRegime({ ...run('2026-12-02'), policies: packs.filter((p) => !p.regime) }, {})).toBeNull();
  });
});
