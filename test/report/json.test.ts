import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { InputError } from '../../src/core/errors.js';
import { parseJsonReport, reportSchema, toJson } from '../../src/report/json.js';
import { clone, makeReport } from './fixture.js';

function schemaErrors(value: unknown): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormatsModule.default(ajv);
  const validate = ajv.compile(reportSchema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

function rejection(text: string): InputError {
  try {
    parseJsonReport(text, 'reports/scan.json');
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('parseJsonReport accepted invalid input');
}

describe('toJson', () => {
  it('round-trips the full report, facts included', () => {
    const report = makeReport();
    const text = toJson(report);
    expect(parseJsonReport(text, 'scan.json')).toEqual(report);
    const facts = JSON.parse(text).attempts[0].facts;
    expect(facts.leaf.daysToExpiry).toBe(-3);
    expect(facts.protocols.TLSv1.accepted).toBe(true);
  });

  it('validates against report.schema.json (itself a strict draft 2020-12 schema)', () => {
    expect(schemaErrors(JSON.parse(toJson(makeReport())))).toEqual([]);
  });

  it('writes keys in a stable order whatever order the objects were built in', () => {
    const report = makeReport();
    const shuffled = Object.fromEntries(Object.entries(clone(report)).reverse()) as typeof report;
    shuffled.findings = shuffled.findings.map((f) => Object.fromEntries(Object.entries(f).reverse()) as typeof f);
    expect(toJson(shuffled)).toBe(toJson(report));
    expect(Object.keys(JSON.parse(toJson(report)))).toEqual([
      'schemaVersion',
      'tool',
      'run',
      'summary',
      'policies',
      'rules',
      'targets',
      'attempts',
      'findings',
    ]);
    expect(toJson(report)).toMatch(/^\{\n {2}"schemaVersion": 1,\n/);
    expect(toJson(report).endsWith('}\n')).toBe(true);
  });

  it('keeps fields it does not know (a newer minor version) and still validates', () => {
    // (Not `waivers`: that field is known now, with a schema of its own.)
    const report = { ...makeReport(), annotations: [{ rule: 'VN-TLS-HSTS' }] };
    expect(parseJsonReport(toJson(report), 'scan.json')).toMatchObject({ annotations: [{ rule: 'VN-TLS-HSTS' }] });
  });
});

describe('parseJsonReport', () => {
  it('rejects text that is not JSON, with the file and position', () => {
    const err = rejection('{\n  "schemaVersion": 1,\n  oops\n}');
    expect(err.file).toBe('reports/scan.json');
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/^reports\/scan\.json:3:\d+: not a JSON document: /);
  });

  it('rejects an empty file', () => {
    expect(rejection('').message).toBe('reports/scan.json: not a JSON document: the file is empty');
  });

  it('rejects JSON that is not a report object', () => {
    expect(rejection('[1, 2]').message).toBe('reports/scan.json: not a govscan JSON report: expected an object, found an array');
    expect(rejection('{"hello": "world"}').message).toMatch(/not a govscan JSON report: .*must have required property/);
  });

  it('names the field that is wrong', () => {
    const report = clone(makeReport()) as unknown as { findings: Array<Record<string, unknown>> };
    report.findings[2]!.outcome = 'maybe';
    const err = rejection(JSON.stringify(report));
    expect(err.detail).toBe(
      'not a govscan JSON report: /findings/2/outcome must be one of "pass", "fail", "not-applicable", "not-tested", "waived"',
    );
  });

  it('refuses another schema version plainly', () => {
    const report = { ...makeReport(), schemaVersion: 2 };
    expect(rejection(JSON.stringify(report)).detail).toBe('report schemaVersion 2 is not supported (this govscan reads 1)');
  });

  it('accepts a byte-order mark', () => {
    expect(parseJsonReport(`\uFEFF${toJson(makeReport())}`, 'scan.json').schemaVersion).toBe(1);
  });
});
