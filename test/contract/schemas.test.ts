// Single-source schemas: the report the CLI writes and reads is the report the server accepts in a
// batch (one schema object, the server adding only size bounds), and every published JSON Schema
// file is its definition written out.

import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BatchSchema, REPORT_BOUNDS } from '../../src/contract/batch-schema.js';
import type { Batch } from '../../src/contract/agent-api.js';
import type { Report } from '../../src/core/types.js';
import { schemaDocument } from '../../src/core/schema-document.js';
import { parseJsonReport, reportSchema, toJson } from '../../src/report/json.js';
import { PUBLISHED_SCHEMAS } from '../../src/published-schemas.js';
import { validatorCompiler } from '../../src/server/validation.js';

/** One real `govscan scan --format json` run (test/fixtures/server/generate.mjs), IPv6 scores included. */
const cliReport = JSON.parse(readFileSync('test/fixtures/server/report-agency.json', 'utf8')) as Report;

const batchOf = (report: Report): Batch => ({
  schemaVersion: 1,
  batchId: randomUUID(),
  agentId: 'agent-1',
  agency: 'bo-tttt',
  createdAt: '2026-11-23T12:00:00.000Z',
  agent: { version: '0.1.0', hostname: 'scanner-1', intervalSeconds: 3600 },
  report,
});

/** The server's own body validator, as the batches route compiles it. */
const serverAccepts = (body: unknown): boolean =>
  validatorCompiler({ schema: BatchSchema, method: 'POST', url: '/api/v1/batches', httpPart: 'body' })(body) === true;

describe('the report schema is one object for the CLI and the server', () => {
  it('is the very object the batch schema embeds, with ipv6Scores in it', () => {
    const report = BatchSchema.properties.report as unknown as { allOf: unknown[] };
    expect(report.allOf[0]).toBe(reportSchema);
    expect(Object.keys(reportSchema.properties)).toContain('ipv6Scores');
    expect(cliReport.ipv6Scores?.length).toBeGreaterThan(0);
  });

  it('a report the CLI wrote is read back by `govscan report` and accepted by the server in a batch', () => {
    expect(parseJsonReport(toJson(cliReport), 'scan.json').ipv6Scores).toEqual(cliReport.ipv6Scores);
    expect(serverAccepts(batchOf(cliReport))).toBe(true);
  });

  it('refuses a malformed IPv6 score on both sides', () => {
    const bad = structuredClone(cliReport);
    (bad.ipv6Scores![0] as { score: unknown }).score = 'full';
    expect(() => parseJsonReport(JSON.stringify(bad), 'scan.json')).toThrow(/ipv6Scores\/0\/score must be number,null/);
    expect(serverAccepts(batchOf(bad))).toBe(false);
  });

  it('the server adds only bounds: an over-long host is refused in a batch but still a valid report', () => {
    const long = structuredClone(cliReport);
    long.targets[0]!.host = `${'a'.repeat(250)}.example.gov.vn`;
    expect(parseJsonReport(JSON.stringify(long), 'scan.json').targets[0]!.host).toHaveLength(265);
    expect(serverAccepts(batchOf(long))).toBe(false);
  });

  it('bounds only properties the report schema defines', () => {
    const missing: string[] = [];
    const walk = (bounds: Record<string, unknown>, schema: Record<string, unknown>, path: string): void => {
      const props = bounds['properties'] as Record<string, Record<string, unknown>> | undefined;
      const items = bounds['items'] as Record<string, unknown> | undefined;
      if (props) {
        const known = schema['properties'] as Record<string, Record<string, unknown>> | undefined;
        for (const [name, sub] of Object.entries(props)) {
          const target = known?.[name];
          if (!target) missing.push(`${path}/${name}`);
          else walk(sub, target, `${path}/${name}`);
        }
      }
      if (items) {
        const target = schema['items'] as Record<string, unknown> | undefined;
        if (!target) missing.push(`${path}/items`);
        else walk(items, target, `${path}/items`);
      }
    };
    walk(REPORT_BOUNDS, reportSchema as unknown as Record<string, unknown>, '');
    expect(missing).toEqual([]);
  });
});

describe('published JSON Schema files', () => {
  it.each(PUBLISHED_SCHEMAS.map((p) => [p.file, p] as const))(
    '%s equals its definition (regenerate: npm run build && node scripts/write-schemas.mjs)',
    (file, p) => {
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(schemaDocument(p.schema, p.draft));
    },
  );
});
