// Texts the evidence commands and the legal-basis notices print, in both languages.

import { defineMessages } from '../core/i18n/index.js';

export const EVIDENCE_MESSAGES = defineMessages({
  /** One line per system on stderr: which regime judges it and why. */
  legalBasis: {
    en: 'legal basis of {system}: {id} (policy pack {policy}) — {reason}',
    vi: 'căn cứ pháp lý của {system}: {id} (bộ quy tắc {policy}) — {reason}',
  },
  legalBasisMore: {
    en: '… and {count} more system(s): their legal basis and its reason are in the report',
    vi: '… và {count} hệ thống khác: căn cứ pháp lý và lý do có trong báo cáo',
  },
  regimeEnded: {
    en: 'warning: legal basis {id} ({by}) ended on {to}; {count} system(s) ({systems}) are still judged under it and fail SECLEVEL-REGIME-ENDED: re-approve them under {next}',
    vi: 'cảnh báo: căn cứ pháp lý {id} ({by}) đã hết hiệu lực từ sau ngày {to}; {count} hệ thống ({systems}) vẫn được đánh giá theo căn cứ này và không đạt SECLEVEL-REGIME-ENDED: cần phê duyệt lại cấp độ theo {next}',
  },
  regimeNotYet: {
    en: 'warning: legal basis {id} ({by}) takes effect on {from}; {count} system(s) ({systems}) are judged under it ahead of time',
    vi: 'cảnh báo: căn cứ pháp lý {id} ({by}) có hiệu lực từ ngày {from}; {count} hệ thống ({systems}) được đánh giá trước theo căn cứ này',
  },
  currentRegime: { en: 'the regime now in force', vi: 'căn cứ pháp lý đang có hiệu lực' },
  byFlag: { en: 'named with --legal-basis', vi: 'chỉ định bằng --legal-basis' },
  byInventory: { en: 'legalBasis in the inventory', vi: 'legalBasis trong danh mục hệ thống' },
  byManifest: { en: 'legalBasis in the evidence manifest', vi: 'legalBasis trong tệp khai báo bằng chứng' },
  byPolicy: { en: 'the only security-level pack named with --policy', vi: 'bộ quy tắc cấp độ duy nhất được chỉ định bằng --policy' },
  byDates: { en: 'the dates', vi: 'theo mốc thời gian' },
  written: {
    en: 'evidence manifest written to {file}: fill in what it lists, then run govscan evidence verify {file}',
    vi: 'đã ghi tệp khai báo bằng chứng vào {file}: điền các mục được liệt kê, sau đó chạy govscan evidence verify {file}',
  },
  exists: {
    en: '{file} already exists; not overwritten (choose another --output)',
    vi: '{file} đã tồn tại; không ghi đè (chọn --output khác)',
  },
});

/** Why a regime judges a system (src/policy/legal-basis.ts). Dates are filled per language. */
export const LEGAL_BASIS_MESSAGES = defineMessages({
  byFlag: { en: 'named with --legal-basis for the whole run', vi: 'chỉ định bằng --legal-basis cho cả lần quét' },
  byPolicy: {
    en: 'the only security-level pack named with --policy ({pack})',
    vi: 'bộ quy tắc cấp độ duy nhất được chỉ định bằng --policy ({pack})',
  },
  byInventory: { en: 'legalBasis in the inventory ({where})', vi: 'legalBasis trong danh mục hệ thống ({where})' },
  byManifest: { en: 'legalBasis in the evidence manifest ({file})', vi: 'legalBasis trong tệp khai báo bằng chứng ({file})' },
  approvedBefore: {
    en: 'approved on {approved}, before {name} took effect on {from}: {old} applies until its transition ends on {to}',
    vi: 'được phê duyệt ngày {approved}, trước khi {name} có hiệu lực ngày {from}: áp dụng {old} đến hết thời gian chuyển tiếp ngày {to}',
  },
  approvedBeforeNoEnd: {
    en: 'approved on {approved}, before {name} took effect on {from}: {old} still applies',
    vi: 'được phê duyệt ngày {approved}, trước khi {name} có hiệu lực ngày {from}: vẫn áp dụng {old}',
  },
  approvedAfter: {
    en: 'approved on {approved}, on or after {from} when {name} took effect',
    vi: 'được phê duyệt ngày {approved}, từ ngày {from} khi {name} đã có hiệu lực',
  },
  notApproved: {
    en: 'no approval date before {from}, when {name} took effect: it applies',
    vi: 'chưa có ngày phê duyệt trước ngày {from}, khi {name} có hiệu lực: áp dụng {name}',
  },
  transitionEnded: {
    en: 'the transition from {old} ended on {to}: {name} applies',
    vi: 'thời gian chuyển tiếp từ {old} đã kết thúc ngày {to}: áp dụng {name}',
  },
  inEffectUntilNext: {
    en: '{name} is in effect; {next} takes effect on {from}',
    vi: '{name} đang có hiệu lực; {next} có hiệu lực từ ngày {from}',
  },
  inEffect: { en: '{name} is in effect (since {from})', vi: '{name} đang có hiệu lực (từ ngày {from})' },
  noneYet: {
    en: 'no security-level regime is in effect yet: {name} is the first, from {from}',
    vi: 'chưa có căn cứ pháp lý về cấp độ nào có hiệu lực: {name} là căn cứ đầu tiên, từ ngày {from}',
  },
  flagNotLoaded: {
    en: '--legal-basis {id}: its policy pack is not loaded (security-level packs loaded: {loaded}); name it with --policy too, or leave --policy out',
    vi: '--legal-basis {id}: bộ quy tắc của căn cứ này không được nạp (các bộ quy tắc cấp độ đã nạp: {loaded}); hãy chỉ định thêm bằng --policy, hoặc bỏ --policy',
  },
  flagNoRegime: {
    en: '--legal-basis {id}: no security-level policy pack is loaded; leave --policy out or name vn-nd85-2016 / vn-nd331-2026 with it',
    vi: '--legal-basis {id}: không có bộ quy tắc cấp độ nào được nạp; hãy bỏ --policy hoặc chỉ định thêm vn-nd85-2016 / vn-nd331-2026',
  },
});
