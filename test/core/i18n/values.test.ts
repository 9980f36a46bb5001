// The template layer: what a placeholder shows in each language, the citation words around document
// numbers, and probe reasons said in Vietnamese (issue 12 item 7).

import { describe, expect, it } from 'vitest';
import { citationText } from '../../../src/core/i18n/citations.js';
import { technicalReason, technicalText } from '../../../src/core/i18n/technical.js';
import { displayValue, joinList } from '../../../src/core/i18n/values.js';
import { fill } from '../../../src/policy/template.js';
import { loadBuiltinPolicies } from '../../../src/policy/index.js';
import { KNOWN_CHECKS } from '../../../src/engine/registry.js';

describe('values in messages, per language', () => {
  it('writes booleans, empty values, lists, numbers and dates the way each language does', () => {
    const cases: Array<[unknown, string, string]> = [
      [true, 'yes', 'có'],
      [false, 'no', 'không'],
      ['', 'not declared', 'chưa khai báo'],
      [null, 'not declared', 'chưa khai báo'],
      [[], 'none', 'không có'],
      [['vulnerability-scan', 'log-review'], 'vulnerability-scan and log-review', 'vulnerability-scan và log-review'],
      [['a', 'b', 'c'], 'a, b and c', 'a, b và c'],
      [92.5, '92.5', '92,5'],
      ['2026-11-30T03:27:09.000Z', '2026-11-30 03:27 UTC', '30/11/2026 03:27 UTC'],
      ['2026-11-30', '2026-11-30', '30/11/2026'],
      ['2026-10-25 new payment module', '2026-10-25 new payment module', '25/10/2026 new payment module'],
      ['docs/assessment-2026-10-25.pdf', 'docs/assessment-2026-10-25.pdf', 'docs/assessment-2026-10-25.pdf'],
      ['partial', 'partial', 'một phần'],
      [{ en: 'in English', vi: 'bằng tiếng Việt' }, 'in English', 'bằng tiếng Việt'],
    ];
    for (const [value, en, vi] of cases) {
      expect(displayValue(value, 'en'), JSON.stringify(value)).toBe(en);
      expect(displayValue(value, 'vi'), JSON.stringify(value)).toBe(vi);
    }
    expect(joinList([], 'vi')).toBe('');
  });

  it('never shows empty quotes: a quoted placeholder with nothing in it reads as words', () => {
    const scope = { facts: { regulation: { number: '', date: '' }, plan: { present: false } } };
    expect(fill("quy chế '{facts.regulation.number}' ngày '{facts.regulation.date}', có mặt: {facts.plan.present}", scope, 'vi')).toBe(
      'quy chế chưa khai báo ngày chưa khai báo, có mặt: không',
    );
    expect(fill("regulation '{facts.regulation.number}'", { facts: { regulation: { number: '12/QĐ' } } }, 'en')).toBe("regulation '12/QĐ'");
  });

  it('says trust-path problems by their meaning in Vietnamese and keeps the id in English', () => {
    const scope = { facts: { problems: ['incomplete-chain'] } };
    expect(fill('{facts.problems}', scope, 'en')).toBe('incomplete-chain');
    expect(fill('{facts.problems}', scope, 'vi')).toMatch(/^thiếu chứng thư của tổ chức cấp/);
  });
});

describe('probe reasons in both languages', () => {
  it('says connect, timeout and OCSP reasons in Vietnamese, and labels an unknown one as technical detail', () => {
    expect(technicalReason('TCP connect to 127.0.0.1:6514 failed: ECONNREFUSED').vi).toBe(
      'kết nối TCP tới 127.0.0.1:6514 không thành công: bị từ chối kết nối (ECONNREFUSED)',
    );
    expect(technicalText('the response is stale: its nextUpdate 2026-11-29T09:38:28.000Z has passed')?.vi).toBe(
      'phản hồi đã cũ: đã qua thời điểm nextUpdate 29/11/2026 09:38 UTC',
    );
    expect(technicalText('no endpoint declared')?.vi).toBe('chưa khai báo điểm kết nối');
    expect(technicalReason('something new happened')).toEqual({
      en: 'something new happened',
      vi: 'chi tiết kỹ thuật: something new happened',
    });
  });
});

describe('citations', () => {
  it('says articles, forms and items in Vietnamese around unchanged document numbers', () => {
    expect(citationText('85/2016/NĐ-CP 01/07/2016 Arts. 12–20', 'vi')).toBe('85/2016/NĐ-CP 01/07/2016 Điều 12–20');
    expect(citationText('12/2022/TT-BTTTT Form 06', 'vi')).toBe('12/2022/TT-BTTTT Mẫu số 06');
    expect(citationText('31/2017/TT-BTTTT Art. 5', 'vi')).toBe('31/2017/TT-BTTTT Điều 5');
    expect(citationText('116/2025/QH15 (in force 01/07/2026)', 'vi')).toBe('116/2025/QH15 (có hiệu lực từ 01/07/2026)');
    expect(citationText('02/CT-TTg §1.o', 'vi')).toBe('02/CT-TTg mục 1.o');
    expect(citationText('85/2016/NĐ-CP Arts. 12–20', 'en')).toBe('85/2016/NĐ-CP Arts. 12–20');
  });
});

describe('the TLS pack cites the plan of each regime', () => {
  it('names Decree 85 (with Circular 12 and TCVN 11930) only for systems still under it, and Decree 331 with TCVN 14423 otherwise', async () => {
    const tls = (await loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS })).find((p) => p.id === 'vn-ct02-2022-tls');
    expect(tls?.legalBasis).toEqual([
      '02/CT-TTg 26/04/2022 §1.o',
      '85/2016/NĐ-CP 01/07/2016, 12/2022/TT-BTTTT 12/08/2022, TCVN 11930:2017 (systems under Decree 85, until the transition ends)',
      '331/2026/NĐ-CP 19/08/2026, TCVN 14423:2026 (every other system)',
    ]);
    expect(tls?.legalBasis.map((b) => citationText(b, 'vi'))).toContain('331/2026/NĐ-CP 19/08/2026, TCVN 14423:2026 (các hệ thống khác)');
    expect(tls?.description?.vi).toContain('Nghị định 331/2026/NĐ-CP cùng TCVN 14423:2026');
    // Rule ids are an interface: unchanged.
    expect(tls?.rules.map((r) => r.id)).toContain('TLS-CERT-EXPIRED');
  });

  it('describes IPV6-WEB-SAME-SITE as one fetch per address family', async () => {
    const ipv6 = (await loadBuiltinPolicies({ knownChecks: KNOWN_CHECKS })).find((p) => p.id === 'vn-ct02-2022-ipv6');
    const rule = ipv6?.rules.find((r) => r.id === 'IPV6-WEB-SAME-SITE');
    expect(rule?.description.vi).toContain('trang web được tải một lần qua mỗi họ địa chỉ');
    expect(rule?.description.vi).not.toContain('Mỗi họ địa chỉ được tải');
  });
});
