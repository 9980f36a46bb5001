// Pack parameters: declarations read from the built-in packs, and what a run may set them to.
// Pure: no CLI, no network.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinPolicies, type LoadedPolicy } from '../../src/policy/index.js';
import { applyParams, coerceParamValue, parseParamArg, type ParamOverride } from '../../src/policy/params.js';
import { KNOWN } from './helpers.js';

let packs: LoadedPolicy[];
beforeAll(async () => {
  packs = await loadBuiltinPolicies(KNOWN);
});
const pack = (id: string): LoadedPolicy => {
  const p = packs.find((x) => x.id === id);
  if (!p) throw new Error(id);
  return p;
};
const flag = (text: string): ParamOverride => {
  const o = parseParamArg(text);
  if (!o) throw new Error(text);
  return o;
};

describe('declared parameters', () => {
  it('marks every value known only from secondary sources, with a description in both languages', () => {
    const nd331 = pack('vn-nd331-2026');
    for (const name of ['effectiveFrom', 'scanDaysL3', 'logReviewDaysL4', 'penTestDaysL5', 'logRetentionDaysL5', 'annualReportDeadline']) {
      expect(nd331.paramSpecs[name]?.secondary, name).toBe(true);
    }
    expect(pack('vn-nd85-2016').paramSpecs.transitionEnd).toMatchObject({ type: 'date', default: '2027-06-30', secondary: true });
    for (const p of [nd331, pack('vn-nd85-2016'), pack('vn-ct14-2019')]) {
      for (const [name, spec] of Object.entries(p.paramSpecs)) {
        expect(spec.description?.en, `${p.id}:${name}`).toBeTruthy();
        expect(spec.description?.vi, `${p.id}:${name}`).not.toBe(spec.description?.en);
      }
    }
  });

  it('keeps bare values of other packs as parameters typed by their value', () => {
    expect(pack('vn-ct02-2022-tls').paramSpecs.minDaysToExpiry).toEqual({
      type: 'number',
      default: 30,
      secondary: false,
      description: null,
    });
  });

  it('backs the regime dates with parameters', () => {
    expect(pack('vn-nd331-2026').effectiveParams).toEqual({ from: 'effectiveFrom' });
    expect(pack('vn-nd85-2016').effectiveParams).toEqual({ to: 'transitionEnd' });
  });
});

describe('values a run gives', () => {
  it('reads [PACK:]NAME=VALUE and refuses other shapes', () => {
    expect(parseParamArg('scanDaysL3=120')).toMatchObject({ name: 'scanDaysL3', value: '120', source: 'flag' });
    expect(parseParamArg('vn-nd331-2026:scanDaysL3=120')).toMatchObject({ pack: 'vn-nd331-2026', name: 'scanDaysL3' });
    expect(parseParamArg('scanDaysL3')).toBeNull();
    expect(parseParamArg('3days=1')).toBeNull();
  });

  it('coerces to the declared type and range', () => {
    const days = pack('vn-nd331-2026').paramSpecs.scanDaysL3;
    const end = pack('vn-nd85-2016').paramSpecs.transitionEnd;
    const deadline = pack('vn-nd331-2026').paramSpecs.annualReportDeadline;
    if (!days || !end || !deadline) throw new Error('missing spec');
    expect(coerceParamValue(days, '120')).toBe(120);
    expect(coerceParamValue(days, '12.5')).toBeUndefined();
    expect(coerceParamValue(days, '0')).toBeUndefined();
    expect(coerceParamValue(end, '2027-12-31')).toBe('2027-12-31');
    expect(coerceParamValue(end, '2027-02-30')).toBeUndefined();
    expect(coerceParamValue(deadline, '12-15')).toBe('12-15');
    expect(coerceParamValue(deadline, '13-01')).toBeUndefined();
  });

  it('applies a value to its pack only, and moves the effective dates that follow a parameter', () => {
    const out = applyParams(packs, [flag('vn-nd85-2016:transitionEnd=2027-12-31'), flag('scanDaysL3=120')]);
    expect(out.problems).toEqual([]);
    expect(out.policies.find((p) => p.id === 'vn-nd85-2016')?.effective).toEqual({ from: '2016-07-01', to: '2027-12-31' });
    expect(out.policies.find((p) => p.id === 'vn-nd331-2026')?.params.scanDaysL3).toBe(120);
    // The packs given are left as they were.
    expect(pack('vn-nd85-2016').effective.to).toBe('2027-06-30');
    expect(out.applied.map((a) => `${a.policy}:${a.name}=${String(a.value)}`)).toEqual([
      'vn-nd331-2026:scanDaysL3=120',
      'vn-nd85-2016:transitionEnd=2027-12-31',
    ]);
  });

  it('lists every problem: ambiguous, unknown, badly typed, unknown pack, set twice', () => {
    const out = applyParams(packs, [
      flag('appraisalFromLevel=4'),
      flag('nope=1'),
      flag('vn-nd331-2026:scanDaysL3=x'),
      flag('vn-zz:a=1'),
      flag('scanDaysL3=1'),
      flag('scanDaysL3=2'),
    ]);
    expect(out.problems.map((p) => p.en)).toEqual([
      expect.stringMatching(/"appraisalFromLevel" is a parameter of vn-nd331-2026, vn-nd85-2016/),
      expect.stringMatching(/no loaded policy pack declares a parameter "nope"/),
      expect.stringMatching(/vn-nd331-2026:scanDaysL3 = "x": expected a whole number from 1 to 3650/),
      expect.stringMatching(/no loaded policy pack "vn-zz"/),
      expect.stringMatching(/--param scanDaysL3=2: vn-nd331-2026:scanDaysL3 is set more than once/),
    ]);
    for (const p of out.problems) expect(p.vi).not.toBe(p.en);
  });
});
