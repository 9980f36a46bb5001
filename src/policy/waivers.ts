// Waivers (DESIGN §4): accepted exceptions to a rule on some targets, each with a justification, an
// approver and an expiry date. Loading validates the YAML against waivers.schema.json and stops the
// run on any problem (exit 2, `file:line:col`) before a packet is sent. Applying them is a separate
// pure step after evaluation, so evaluate() stays free of waiver logic and both stay testable on
// recorded findings.

import type { ErrorObject } from 'ajv';
import schema from './waivers.schema.json' with { type: 'json' };
import { InputError } from '../core/errors.js';
import { readInputText } from '../core/input-limits.js';
import { compileSchema, dottedPath, schemaErrors } from '../core/schema-errors.js';
import { nodeAt, parseYamlOrThrow, positionOf, type PathSegment } from '../core/yaml-source.js';
import type { Finding, Localized, ReportWaiver, Target, Waiver } from '../core/types.js';
import { defineMessages, format } from '../core/i18n/index.js';
import { displayDate } from '../core/i18n/dates.js';

export const WAIVER_MESSAGES = defineMessages({
  expiredNote: {
    en: 'waiver {id} expired on {expires} (approved by {approver}): this finding counts again',
    vi: 'miễn trừ {id} đã hết hạn ngày {expires} (người phê duyệt: {approver}): phát hiện này được tính lại',
  },
  unknownRule: {
    en: 'warning: {location}: waiver names rule "{rule}", which none of the loaded policies has: it cannot apply',
    vi: 'cảnh báo: {location}: miễn trừ nêu quy tắc "{rule}" không có trong bộ quy tắc nào đang dùng: miễn trừ này không thể áp dụng',
  },
});

/** The file as the schema admits it. */
interface WaiverDocument {
  apiVersion?: string;
  kind?: string;
  waivers: Array<{ rule: string; target: string; justification: string; approver: string; expires: string }>;
}

export interface WaiverSet {
  file: string;
  waivers: Waiver[];
}

let validator: ReturnType<typeof compileSchema<WaiverDocument>> | undefined;
/** Compiled on first use: a scan without --waivers should not pay for it. */
function validate(): ReturnType<typeof compileSchema<WaiverDocument>> {
  validator ??= compileSchema<WaiverDocument>(schema);
  return validator;
}

export async function loadWaivers(file: string): Promise<WaiverSet> {
  let text: string;
  try {
    text = await readInputText(file, 'waivers');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw InputError.inFile(file, `cannot read waiver file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseWaivers(text, file);
}

/** Parse and validate a waiver file; the first problem is thrown as an InputError at its YAML node. */
export function parseWaivers(text: string, file: string): WaiverSet {
  const { source, value } = parseYamlOrThrow(text, file);
  if (value === null || value === undefined) {
    throw new InputError(file, 1, 1, 'waiver file is empty: expected a mapping with "waivers"');
  }
  const check = validate();
  if (!check(value)) {
    const [first] = schemaErrors(preferUnknownFields(check.errors ?? []), value, source, {
      describePath: (path) => describeWaiverPath(path, value),
      refine: (e, generic) => {
        const name = (e.params as { additionalProperty?: unknown }).additionalProperty;
        const guess = e.keyword === 'additionalProperties' && typeof name === 'string' ? closeField(name) : null;
        return guess ? { ...generic, detail: `${generic.detail} (did you mean "${guess}"?)` } : undefined;
      },
    });
    throw first ?? new InputError(file, 1, 1, 'invalid waiver file');
  }
  const locate = (path: readonly PathSegment[]): { line: number; col: number } => positionOf(source, nodeAt(source, path));
  const seen = new Map<string, number>();
  const waivers = value.waivers.map((w, i): Waiver => {
    // Two entries for the same rule and pattern leave the reader guessing which expiry holds.
    const key = `${w.rule}\u0000${w.target.toLowerCase()}`;
    const prev = seen.get(key);
    const at = locate(['waivers', i]);
    if (prev !== undefined) {
      throw new InputError(file, at.line, at.col, `waiver ${w.rule}: duplicate waiver for target "${w.target}" (first on line ${locate(['waivers', prev]).line})`);
    }
    seen.set(key, i);
    return {
      id: `${file}:${at.line}`,
      rule: w.rule,
      target: w.target.trim(),
      justification: w.justification.trim(),
      approver: w.approver.trim(),
      expires: w.expires,
      source: { file, line: at.line, column: at.col },
    };
  });
  return { file, waivers };
}

/**
 * A misspelt field shows up twice: as unknown, and as the required field it was meant to be. The
 * unknown one names what the author actually wrote, so the "missing" error of that entry is dropped.
 */
function preferUnknownFields(errors: readonly ErrorObject[]): ErrorObject[] {
  const withUnknown = new Set(errors.filter((e) => e.keyword === 'additionalProperties').map((e) => e.instancePath));
  return errors.filter((e) => !(e.keyword === 'required' && withUnknown.has(e.instancePath)));
}

const FIELDS = ['rule', 'target', 'justification', 'approver', 'expires'];
/** The waiver field a misspelt name was probably meant to be (shared prefix of four letters or more). */
function closeField(name: string): string | null {
  const lower = name.toLowerCase();
  return FIELDS.find((f) => f !== lower && (f.slice(0, 4) === lower.slice(0, 4) || lower === `${f}s` || `${lower}s` === f)) ?? null;
}

/** `waiver TLS-CERT-EXPIRED: expires` rather than `waivers[3].expires`: authors know waivers by rule. */
function describeWaiverPath(path: readonly PathSegment[], value: unknown): string {
  if (path[0] !== 'waivers' || typeof path[1] !== 'number') return dottedPath(path) || 'waiver file';
  const entry = (value as { waivers?: unknown[] }).waivers?.[path[1]];
  const rule = entry && typeof entry === 'object' ? (entry as { rule?: unknown }).rule : undefined;
  const name = typeof rule === 'string' && rule.trim() ? `waiver ${rule}` : `waivers[${path[1]}]`;
  const rest = dottedPath(path.slice(2));
  return rest ? `${name}: ${rest}` : name;
}

/** True once `now` is past the waiver's last day. Days are UTC, as policy effective dates are. */
export function isExpired(waiver: Pick<Waiver, 'expires'>, now: Date): boolean {
  return now.toISOString().slice(0, 10) > waiver.expires;
}

const globCache = new Map<string, RegExp>();
function globRegExp(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (!re) {
    const body = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 'i');
    globCache.set(pattern, re);
  }
  return re;
}

/**
 * Whether a waiver's target pattern names this target: its key (`https://host:port`), `host:port`
 * or the bare host, so authors can write whichever they have at hand.
 */
export function targetMatches(pattern: string, targetKey: string, target?: Pick<Target, 'host' | 'port'>): boolean {
  const re = globRegExp(pattern);
  if (re.test(targetKey)) return true;
  const hp = target ?? hostPortOfKey(targetKey);
  if (!hp) return false;
  const host = hp.host.replace(/^\[|\]$/g, '');
  return re.test(host) || re.test(`${host}:${hp.port}`) || re.test(`[${host}]:${hp.port}`);
}

function hostPortOfKey(key: string): { host: string; port: number } | null {
  try {
    const url = new URL(key);
    return { host: url.hostname, port: Number(url.port || 443) };
  } catch {
    return null;
  }
}

export interface ApplyWaiversInput {
  findings: readonly Finding[];
  waivers: readonly Waiver[];
  /** The instant expiry is judged at: the start of the run, so every finding of a run agrees. */
  now: Date;
  /** Targets by key, for host and port; parsed from the key when absent. */
  targets?: ReadonlyMap<string, Target>;
}

/**
 * Waived copies of the failed findings an active waiver matches (the first in file order wins); a
 * failed finding matched only by expired waivers stays failed, refers to the latest-expiring one and
 * says in both languages that it expired. Other findings come back unchanged. Pure.
 */
export function applyWaivers(input: ApplyWaiversInput): Finding[] {
  if (input.waivers.length === 0) return [...input.findings];
  return input.findings.map((f) => {
    if (f.outcome !== 'fail') return f;
    const target = input.targets?.get(f.target);
    const matching = input.waivers.filter((w) => w.rule === f.ruleId && targetMatches(w.target, f.target, target));
    if (matching.length === 0) return f;
    const active = matching.find((w) => !isExpired(w, input.now));
    if (active) return { ...f, outcome: 'waived', waiver: { id: active.id, expires: active.expires } };
    const latest = matching.reduce((a, b) => (b.expires > a.expires ? b : a));
    return {
      ...f,
      message: appendNote(f.message, expiredNote(latest)),
      waiver: { id: latest.id, expires: latest.expires, expired: true },
    };
  });
}

function expiredNote(w: Waiver): Localized {
  const params = { id: w.id, expires: w.expires, approver: w.approver };
  return { en: format(WAIVER_MESSAGES.expiredNote.en, params), vi: format(WAIVER_MESSAGES.expiredNote.vi, { ...params, expires: displayDate(w.expires, 'vi') }) };
}

function appendNote(message: Localized, note: Localized): Localized {
  const join = (text: string, extra: string): string => (text.trim() ? `${text.trimEnd()} — ${extra}` : extra);
  return { en: join(message.en, note.en), vi: join(message.vi, note.vi) };
}

/** Running per-waiver counts for the report, fed target by target as the scan judges them. */
export class WaiverTally {
  private readonly waived = new Map<string, number>();
  private readonly expiredMatches = new Map<string, number>();

  constructor(
    private readonly waivers: readonly Waiver[],
    private readonly now: Date,
  ) {}

  add(findings: readonly Finding[]): void {
    for (const f of findings) {
      if (!f.waiver) continue;
      const counts = f.outcome === 'waived' ? this.waived : this.expiredMatches;
      counts.set(f.waiver.id, (counts.get(f.waiver.id) ?? 0) + 1);
    }
  }

  /** Every waiver, in file order, whether or not it matched: an unused waiver is worth seeing. */
  list(): ReportWaiver[] {
    return this.waivers.map((w) => ({
      ...w,
      source: { ...w.source },
      expired: isExpired(w, this.now),
      waived: this.waived.get(w.id) ?? 0,
      expiredMatches: this.expiredMatches.get(w.id) ?? 0,
    }));
  }
}

/** Waivers naming a rule no loaded policy has: almost always a typo, and such a waiver never applies. */
export function waiversWithUnknownRules(waivers: readonly Waiver[], ruleIds: ReadonlySet<string>): Waiver[] {
  return waivers.filter((w) => !ruleIds.has(w.rule));
}
