// Texts the engine writes itself: the messages of outcomes other than fail, and the reasons a rule
// could not be judged. Rules supply their own fail messages.

import { defineMessages } from '../core/i18n/index.js';

export const POLICY_MESSAGES = defineMessages({
  pass: { en: '{target}: passed — {title}', vi: '{target}: đạt — {title}' },
  notTested: { en: '{target}: not tested — {title}: {reason}', vi: '{target}: chưa kiểm tra được — {title}: {reason}' },
  notApplicable: { en: '{target}: not applicable — {title}: {reason}', vi: '{target}: không áp dụng — {title}: {reason}' },
  probeFailed: { en: 'the {check} probe failed', vi: 'phép thăm dò {check} không thành công' },
  checkNotApplicable: { en: 'the {check} check does not apply', vi: 'phép kiểm tra {check} không áp dụng' },
  noFacts: { en: 'the {check} probe recorded no facts', vi: 'phép thăm dò {check} không ghi nhận dữ liệu' },
  notYetEffective: { en: 'policy {policy} takes effect on {date}', vi: 'bộ quy tắc {policy} có hiệu lực từ ngày {date}' },
  noLongerEffective: { en: 'policy {policy} ceased to apply after {date}', vi: 'bộ quy tắc {policy} hết hiệu lực sau ngày {date}' },
  // {condition} is the CEL expression in English (for pack authors) and the title of the rule in
  // Vietnamese: a Vietnamese reader gets words, never code.
  whenFalse: { en: 'condition not met: {condition}', vi: 'điều kiện áp dụng của quy tắc “{condition}” không thỏa với đối tượng quét này' },
  requiresFalse: {
    en: 'the facts this rule needs were not gathered: {condition}',
    vi: 'chưa thu thập được dữ liệu mà quy tắc “{condition}” cần',
  },
  celError: { en: 'cannot evaluate {field}: {error}', vi: 'không tính được {field}: {error}' },
  celOverBudget: {
    en: 'cannot evaluate {field}: the expression exceeded its cost limit of {limit} steps and was stopped',
    vi: 'không tính được {field}: biểu thức vượt giới hạn {limit} bước tính toán nên đã bị dừng',
  },
  judgingFailed: {
    en: 'the rule could not be judged on this target: {error}',
    // The error text comes from the program, in English: labelled as the technical detail it is.
    vi: 'không đánh giá được quy tắc trên đối tượng quét này do lỗi nội bộ của chương trình (chi tiết kỹ thuật: {error})',
  },
});
