import { describe, expect, it } from 'vitest';
import { isFormat, render } from '../../src/report/index.js';
import { parseJsonReport } from '../../src/report/json.js';
import { validateSarif } from '../helpers/sarif.js';
import { CWD, makeReport } from './fixture.js';

describe('render', () => {
  it('dispatches to each writer', () => {
    const report = makeReport();
    expect(render(report, 'table', { lang: 'en' })).toMatch(/2 targets · 4 failed/);
    expect(parseJsonReport(render(report, 'json', { lang: 'en' }), 'x.json')).toEqual(report);
    const sarif: unknown = JSON.parse(render(report, 'sarif', { lang: 'vi', cwd: CWD }));
    expect(validateSarif(sarif)).toEqual([]);
  });

  it('knows its formats', () => {
    expect(isFormat('sarif')).toBe(true);
    expect(isFormat('junit')).toBe(true);
    expect(isFormat('html')).toBe(true);
    expect(isFormat('xml')).toBe(false);
  });
});
