// The Vietnamese terms govscan uses, one per idea, so an official reads the same word for the same
// thing in the CLI, reports, packs, help, dashboard and agent. test/i18n/glossary.test.ts fails when
// a banned wording appears in any Vietnamese string of the source, packs, help, dashboard or agent.
// Agent: the program keeps its name (govscan-agent); in Vietnamese sentences it is "tác tử", never
// "agent"/"Agent". Trust anchor: "chứng thư gốc tin cậy", never "neo tin cậy".

export interface GlossaryTerm {
  en: string;
  vi: string;
  /** Why this wording, when it is not the obvious one. */
  note?: string;
  /** Wordings that must not appear in Vietnamese text, with the reason shown when one does. */
  banned?: Array<{ re: RegExp; why: string }>;
}

export const GLOSSARY: GlossaryTerm[] = [
  {
    en: 'policy pack',
    vi: 'bộ quy tắc',
    note: '"chính sách" reads as government policy; a pack is a set of rules.',
    banned: [{ re: /chính sách/i, why: 'a policy pack is "bộ quy tắc", not "chính sách" (government policy)' }],
  },
  { en: 'rule', vi: 'quy tắc' },
  {
    en: 'scan target',
    vi: 'đối tượng quét',
    banned: [{ re: /mục tiêu/i, why: 'a scan target is "đối tượng quét", not "mục tiêu" (a goal)' }],
  },
  {
    en: 'baseline',
    vi: 'báo cáo mốc (baseline)',
    banned: [{ re: /đường cơ sở/i, why: 'a baseline is "báo cáo mốc (baseline)", not "đường cơ sở"' }],
  },
  {
    en: 'all checks passed',
    vi: 'Tất cả tiêu chí đều đạt',
    banned: [{ re: /không có kiểm tra nào không đạt/i, why: 'say "Tất cả tiêu chí đều đạt", not a double negative' }],
  },
  {
    en: 'agent (govscan-agent)',
    vi: 'tác tử',
    note: 'The program keeps its name govscan-agent; in sentences the agent is "tác tử".',
    banned: [
      {
        re: /(?<![-\w`/.{])agents?(?![-\w`/}]|\.\w)/i,
        why: 'the agent is "tác tử" in Vietnamese text (the program name govscan-agent stays)',
      },
    ],
  },
  {
    en: 'trust anchor',
    vi: 'chứng thư gốc tin cậy',
    banned: [{ re: /neo tin cậy/i, why: 'a trust anchor is "chứng thư gốc tin cậy"' }],
  },
  { en: 'certificate', vi: 'chứng thư số' },
  {
    en: '4-layer protection model',
    vi: 'Mô hình bảo vệ 4 lớp',
    banned: [{ re: /mô hình 4 lớp/i, why: 'the model is "mô hình bảo vệ 4 lớp"' }],
  },
  { en: 'layer 1: on-site force', vi: 'lực lượng tại chỗ' },
  { en: 'layer 2: professional monitoring and protection', vi: 'giám sát, bảo vệ chuyên nghiệp' },
  { en: 'layer 3: independent periodic inspection and assessment', vi: 'kiểm tra, đánh giá độc lập định kỳ' },
  {
    en: 'layer 4: connection and information sharing with the National Cyber Security Centre (NCSC)',
    vi: 'kết nối, chia sẻ thông tin với Trung tâm Giám sát an toàn không gian mạng quốc gia (NCSC)',
  },
  { en: 'security level', vi: 'cấp độ an toàn hệ thống thông tin (cấp độ)' },
  { en: 'legal basis', vi: 'căn cứ pháp lý' },
  { en: 'evidence manifest', vi: 'tệp khai báo bằng chứng' },
  { en: 'inventory', vi: 'danh mục hệ thống' },
  { en: 'waiver', vi: 'miễn trừ' },
  { en: 'finding', vi: 'phát hiện' },
  { en: 'not tested', vi: 'chưa kiểm tra được' },
  { en: 'not applicable', vi: 'không áp dụng' },
  { en: 'severity', vi: 'mức độ nghiêm trọng' },
  { en: 'not declared (an empty value)', vi: 'chưa khai báo' },
  { en: 'yes / no', vi: 'có / không' },
];

/** Every banned wording found in one Vietnamese text, with why. */
export function bannedTerms(text: string): string[] {
  const found: string[] = [];
  for (const term of GLOSSARY) for (const b of term.banned ?? []) if (b.re.test(text)) found.push(b.why);
  return found;
}
