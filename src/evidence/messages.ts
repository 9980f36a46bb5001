// Texts the evidence commands and the legal-basis notice print, in both languages.

import { defineMessages } from '../i18n/index.js';

export const EVIDENCE_MESSAGES = defineMessages({
  legalBasis: {
    en: 'legal basis: {id} (policy {policy}), chosen by {by}',
    vi: 'căn cứ pháp lý: {id} (bộ chính sách {policy}), xác định theo {by}',
  },
  byFlag: { en: '--legal-basis', vi: '--legal-basis' },
  byInventory: { en: 'the inventory or manifest (legalBasis)', vi: 'danh mục hệ thống hoặc tệp khai báo (legalBasis)' },
  byPolicy: { en: '--policy', vi: '--policy' },
  byDates: { en: 'the packs\' effective dates (use --legal-basis to choose)', vi: 'ngày hiệu lực của các bộ chính sách (dùng --legal-basis để chọn)' },
  written: { en: 'evidence manifest written to {file}: fill in what it lists, then run govscan evidence verify {file}', vi: 'đã ghi tệp khai báo bằng chứng vào {file}: điền các mục được liệt kê, sau đó chạy govscan evidence verify {file}' },
  exists: { en: '{file} already exists; not overwritten (choose another --output)', vi: '{file} đã tồn tại; không ghi đè (chọn --output khác)' },
});
