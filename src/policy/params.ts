// Pack parameters: what a pack declares (type, range, description, whether the value is known only
// from secondary sources), and how a run changes them — `--param [PACK:]NAME=VALUE` and `params:` in
// the inventory — checked against those declarations. A value known only from news or third-party
// analyses (Decree 331 dates, frequencies, retention periods) is such a parameter, so an agency can
// correct it without editing a pack. Pure: no I/O.

import type { Localized } from '../core/types.js';
import { isCalendarDate } from '../core/i18n/dates.js';
import { defineMessages, format } from '../core/i18n/index.js';
import type { DateOrParam, LoadedPolicy, ParamDocument, ParamSpec, ParamType, ParamValue } from './types.js';

export const PARAM_MESSAGES = defineMessages({
  malformed: {
    en: '{where}: "{text}" is not NAME=VALUE or PACK:NAME=VALUE',
    vi: '{where}: "{text}" không có dạng NAME=VALUE hoặc PACK:NAME=VALUE',
  },
  unknownPack: {
    en: '{where}: no loaded policy pack "{pack}" (loaded: {packs})',
    vi: '{where}: không có bộ quy tắc "{pack}" trong số các bộ được nạp ({packs})',
  },
  unknownName: {
    en: '{where}: no loaded policy pack declares a parameter "{name}"; parameters: {known}',
    vi: '{where}: không bộ quy tắc nào được nạp có tham số "{name}"; các tham số: {known}',
  },
  ambiguous: {
    en: '{where}: "{name}" is a parameter of {packs}: write PACK:{name}=VALUE, e.g. {example}',
    vi: '{where}: "{name}" là tham số của {packs}: hãy ghi PACK:{name}=VALUE, ví dụ {example}',
  },
  badValue: {
    en: '{where}: {pack}:{name} = {value}: expected {expected}',
    vi: '{where}: {pack}:{name} = {value}: yêu cầu {expected}',
  },
  twice: {
    en: '{where}: {pack}:{name} is set more than once on the command line',
    vi: '{where}: {pack}:{name} được đặt nhiều lần trên dòng lệnh',
  },
  heading: { en: 'invalid parameter(s):', vi: 'tham số không hợp lệ:' },
  none: { en: 'none', vi: 'không có' },
});

const EXPECTED = defineMessages<ParamType>({
  integer: { en: 'a whole number', vi: 'một số nguyên' },
  number: { en: 'a number', vi: 'một số' },
  string: { en: 'a text', vi: 'một chuỗi ký tự' },
  boolean: { en: 'true or false', vi: 'có hoặc không: nhập `true` hoặc `false`' },
  date: { en: 'a date YYYY-MM-DD', vi: 'một ngày dạng YYYY-MM-DD' },
});

const RANGE = defineMessages({
  between: { en: '{what} from {min} to {max}', vi: '{what} từ {min} đến {max}' },
  atLeast: { en: '{what} of at least {min}', vi: '{what} không nhỏ hơn {min}' },
  atMost: { en: '{what} of at most {max}', vi: '{what} không lớn hơn {max}' },
  matching: { en: '{what} matching {pattern}', vi: '{what} khớp mẫu {pattern}' },
});

/** What a value of this parameter must be, in words. */
export function expectedText(spec: ParamSpec): Localized {
  const out = (lang: 'en' | 'vi'): string => {
    const what = EXPECTED[spec.type][lang];
    if (spec.min !== undefined && spec.max !== undefined) return format(RANGE.between[lang], { what, min: spec.min, max: spec.max });
    if (spec.min !== undefined) return format(RANGE.atLeast[lang], { what, min: spec.min });
    if (spec.max !== undefined) return format(RANGE.atMost[lang], { what, max: spec.max });
    if (spec.pattern !== undefined) return format(RANGE.matching[lang], { what, pattern: spec.pattern });
    return what;
  };
  return { en: out('en'), vi: out('vi') };
}

// ── Declarations (load time) ─────────────────────────────────────────────────────────────────────

export interface ParamDeclarationProblem {
  /** Path under spec.params, for the YAML position. */
  path: (string | number)[];
  detail: string;
}

function isDeclaration(v: ParamValue | ParamDocument): v is ParamDocument {
  return typeof v === 'object' && v !== null;
}

/** Values and specs from a pack's `spec.params`, with what is wrong in the declarations. */
export function readParams(written: Record<string, ParamValue | ParamDocument>): {
  values: Record<string, ParamValue>;
  specs: Record<string, ParamSpec>;
  problems: ParamDeclarationProblem[];
} {
  const values: Record<string, ParamValue> = {};
  const specs: Record<string, ParamSpec> = {};
  const problems: ParamDeclarationProblem[] = [];
  for (const [name, raw] of Object.entries(written)) {
    const spec: ParamSpec = isDeclaration(raw)
      ? {
          type: raw.type ?? typeOf(raw.default),
          default: raw.default,
          ...(raw.min !== undefined ? { min: raw.min } : {}),
          ...(raw.max !== undefined ? { max: raw.max } : {}),
          ...(raw.pattern !== undefined ? { pattern: raw.pattern } : {}),
          secondary: raw.secondary ?? false,
          description: { en: raw.description.en, vi: raw.description.vi },
        }
      : { type: typeOf(raw), default: raw, secondary: false, description: null };
    if (spec.pattern !== undefined && !validPattern(spec.pattern)) {
      problems.push({
        path: [name, 'pattern'],
        detail: `param ${name}: pattern ${JSON.stringify(spec.pattern)} is not a regular expression`,
      });
    } else if ((spec.min !== undefined || spec.max !== undefined) && spec.type !== 'integer' && spec.type !== 'number') {
      problems.push({ path: [name], detail: `param ${name}: min and max apply to integer and number parameters, not ${spec.type}` });
    } else if (coerceParamValue(spec, spec.default) === undefined) {
      problems.push({
        path: [name, ...(isDeclaration(raw) ? ['default'] : [])],
        detail: `param ${name}: default ${JSON.stringify(spec.default)} is not ${expectedText(spec).en}`,
      });
    }
    values[name] = spec.default;
    specs[name] = spec;
  }
  return { values, specs, problems };
}

function typeOf(v: ParamValue): ParamType {
  return typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'number' : 'string';
}

function validPattern(p: string): boolean {
  try {
    new RegExp(p, 'u');
    return true;
  } catch {
    return false;
  }
}

/** `metadata.effective` with date parameters resolved; problems name the field. */
export function resolveEffective(
  written: { from?: DateOrParam; to?: DateOrParam },
  values: Record<string, ParamValue>,
  specs: Record<string, ParamSpec>,
): {
  effective: { from?: string; to?: string };
  effectiveParams: { from?: string; to?: string };
  problems: { field: 'from' | 'to'; detail: string }[];
} {
  const effective: { from?: string; to?: string } = {};
  const effectiveParams: { from?: string; to?: string } = {};
  const problems: { field: 'from' | 'to'; detail: string }[] = [];
  for (const field of ['from', 'to'] as const) {
    const v = written[field];
    if (v === undefined) continue;
    if (typeof v === 'string') {
      effective[field] = v;
      continue;
    }
    const spec = specs[v.param];
    if (!spec) problems.push({ field, detail: `metadata.effective.${field}: no parameter "${v.param}" under spec.params` });
    else if (spec.type !== 'date')
      problems.push({ field, detail: `metadata.effective.${field}: parameter "${v.param}" is a ${spec.type}, not a date` });
    else {
      effectiveParams[field] = v.param;
      effective[field] = String(values[v.param]);
    }
  }
  return { effective, effectiveParams, problems };
}

// ── Values a run gives (--param, inventory params:) ─────────────────────────────────────────────

export interface ParamOverride {
  /** Pack id when written PACK:NAME. */
  pack?: string;
  name: string;
  value: unknown;
  source: 'flag' | 'inventory';
  /** Where it was written, for messages: `--param NAME=VALUE` or `inventory.yaml:12`. */
  where: string;
}

/** A parameter a run changed, as the report echoes it. */
export interface AppliedParam {
  policy: string;
  name: string;
  value: ParamValue;
  default: ParamValue;
  source: 'flag' | 'inventory';
  secondary: boolean;
}

/** `[PACK:]NAME=VALUE` from the command line; null when it is not of that shape. */
export function parseParamArg(text: string): ParamOverride | null {
  const m = /^(?:([a-z0-9][a-z0-9.-]*):)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(text);
  if (!m) return null;
  return { ...(m[1] ? { pack: m[1] } : {}), name: m[2] ?? '', value: m[3] ?? '', source: 'flag', where: `--param ${text}` };
}

/**
 * A value for the declared type, or undefined when it is not one: strings from the command line are
 * read as the type; YAML values must already be of it (a date may be a YAML date).
 */
export function coerceParamValue(spec: ParamSpec, value: unknown): ParamValue | undefined {
  let out: ParamValue | undefined;
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
      if (!Number.isFinite(n) || (spec.type === 'integer' && !Number.isInteger(n))) return undefined;
      if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) return undefined;
      out = n;
      break;
    }
    case 'boolean':
      out = typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : undefined;
      break;
    case 'date': {
      const text =
        value instanceof Date && !Number.isNaN(value.getTime())
          ? value.toISOString().slice(0, 10)
          : typeof value === 'string'
            ? value.trim()
            : '';
      out = isCalendarDate(text) ? text : undefined;
      break;
    }
    case 'string':
      if (typeof value !== 'string' && typeof value !== 'number') return undefined;
      out = String(value);
      if (spec.pattern !== undefined && !new RegExp(`^(?:${spec.pattern})$`, 'u').test(out)) return undefined;
      break;
  }
  return out;
}

export interface AppliedParams {
  /** The packs with the run's values (and effective dates that follow date parameters). */
  policies: LoadedPolicy[];
  applied: AppliedParam[];
  /** Every problem, in both languages; empty when all overrides are valid. */
  problems: Localized[];
}

/**
 * Apply overrides in order (the inventory's first, then the command line's, so a flag wins). Every
 * problem is collected, so a user fixes them all in one go.
 */
export function applyParams(policies: readonly LoadedPolicy[], overrides: readonly ParamOverride[]): AppliedParams {
  const problems: Localized[] = [];
  const say = (text: Localized, vars: Record<string, unknown>): void => {
    problems.push({ en: format(text.en, vars), vi: format(text.vi, vars) });
  };
  const chosen = new Map<LoadedPolicy, Map<string, { value: ParamValue; source: 'flag' | 'inventory' }>>();
  const seenOnFlag = new Set<string>();
  for (const o of overrides) {
    const declaring =
      o.pack !== undefined ? policies.filter((p) => p.id === o.pack) : policies.filter((p) => Object.hasOwn(p.paramSpecs, o.name));
    if (o.pack !== undefined && !declaring.length) {
      say(PARAM_MESSAGES.unknownPack, { where: o.where, pack: o.pack, packs: policies.map((p) => p.id).join(', ') });
      continue;
    }
    const policy = declaring.length === 1 ? declaring[0] : undefined;
    if (declaring.length > 1) {
      say(PARAM_MESSAGES.ambiguous, {
        where: o.where,
        name: o.name,
        packs: declaring.map((p) => p.id).join(', '),
        example: `${declaring[0]?.id}:${o.name}=${String(o.value)}`,
      });
      continue;
    }
    const spec = policy?.paramSpecs[o.name];
    if (!policy || !spec) {
      const scope = o.pack !== undefined ? policies.filter((p) => p.id === o.pack) : policies;
      const known = knownParams(scope);
      problems.push({
        en: format(PARAM_MESSAGES.unknownName.en, { where: o.where, name: o.name, known: known || PARAM_MESSAGES.none.en }),
        vi: format(PARAM_MESSAGES.unknownName.vi, { where: o.where, name: o.name, known: known || PARAM_MESSAGES.none.vi }),
      });
      continue;
    }
    const value = coerceParamValue(spec, o.value);
    if (value === undefined) {
      const expected = expectedText(spec);
      problems.push({
        en: format(PARAM_MESSAGES.badValue.en, {
          where: o.where,
          pack: policy.id,
          name: o.name,
          value: JSON.stringify(o.value),
          expected: expected.en,
        }),
        vi: format(PARAM_MESSAGES.badValue.vi, {
          where: o.where,
          pack: policy.id,
          name: o.name,
          value: JSON.stringify(o.value),
          expected: expected.vi,
        }),
      });
      continue;
    }
    const key = `${policy.id}:${o.name}`;
    if (o.source === 'flag') {
      if (seenOnFlag.has(key)) say(PARAM_MESSAGES.twice, { where: o.where, pack: policy.id, name: o.name });
      seenOnFlag.add(key);
    }
    const perPack = chosen.get(policy) ?? new Map<string, { value: ParamValue; source: 'flag' | 'inventory' }>();
    perPack.set(o.name, { value, source: o.source });
    chosen.set(policy, perPack);
  }
  const applied: AppliedParam[] = [];
  const out = policies.map((p) => {
    const set = chosen.get(p);
    if (!set) return p;
    const params = { ...p.params };
    for (const [name, { value, source }] of set) {
      params[name] = value;
      const spec = p.paramSpecs[name];
      if (spec) applied.push({ policy: p.id, name, value, default: spec.default, source, secondary: spec.secondary });
    }
    const effective = { ...p.effective };
    for (const field of ['from', 'to'] as const) {
      const name = p.effectiveParams[field];
      if (name !== undefined && params[name] !== undefined) effective[field] = String(params[name]);
    }
    return { ...p, params, effective };
  });
  return { policies: out, applied, problems };
}

/** `pack:{a, b}; pack2:{c}` — the parameters a user may set, for an error message. */
function knownParams(policies: readonly LoadedPolicy[]): string {
  const parts = policies.filter((p) => Object.keys(p.paramSpecs).length).map((p) => `${p.id}:{${Object.keys(p.paramSpecs).join(', ')}}`);
  return parts.join('; ');
}

/** The problems as one bilingual message, one per line. */
export function paramProblemsText(problems: readonly Localized[]): Localized {
  const text = (lang: 'en' | 'vi'): string => [PARAM_MESSAGES.heading[lang], ...problems.map((p) => `  - ${p[lang]}`)].join('\n');
  return { en: text('en'), vi: text('vi') };
}
