// What a person creating or managing a campaign is told when the server refuses, in both languages
// (the API's `localized` next to its English `message`).

import { defineMessages } from '../../core/i18n/index.js';

export const CM = defineMessages({
  targetsOrInventory: {
    en: 'body: give either targets or inventory (exactly one)',
    vi: 'body: cần đúng một trong hai: targets (danh sách đối tượng quét) hoặc inventory (danh mục hệ thống)',
  },
  badTarget: {
    en: 'body/targets/{index}: {reason}',
    vi: 'body/targets/{index}: đối tượng quét không hợp lệ ({reason})',
  },
  badInventory: {
    en: 'body/inventory: {reason}',
    vi: 'body/inventory: danh mục hệ thống không hợp lệ ({reason})',
  },
  inventoryEmpty: {
    en: 'body/inventory: no system has an endpoint or a domain to scan',
    vi: 'body/inventory: không hệ thống nào có điểm truy cập (endpoint) hoặc tên miền để quét',
  },
  tooManyTargets: {
    en: 'body/inventory: more than {max} targets',
    vi: 'body/inventory: vượt quá {max} đối tượng quét',
  },
  agencyRequired: {
    en: 'body/agency: required (the results are stored as reports of this agency)',
    vi: 'body/agency: bắt buộc (kết quả được lưu thành báo cáo của cơ quan này)',
  },
  agencyUnknown: {
    en: 'body/agency: no agency "{agency}" on this server',
    vi: 'body/agency: máy chủ không có cơ quan "{agency}"',
  },
  agencyOutOfScope: {
    en: 'body/agency: this token may only create campaigns for agency "{agency}"',
    vi: 'body/agency: token này chỉ được tạo chiến dịch quét cho cơ quan "{agency}"',
  },
  badSchedule: {
    en: 'body/schedule: "{schedule}" is not a cron expression: {reason}',
    vi: 'body/schedule: "{schedule}" không phải biểu thức cron hợp lệ: {reason}',
  },
  badResolve: {
    en: 'body/options/resolve/{index}: {reason}',
    vi: 'body/options/resolve/{index}: giá trị ghim địa chỉ không hợp lệ ({reason})',
  },
  unknownPolicy: {
    en: 'body/options/policies/{index}: no built-in policy pack "{id}"',
    vi: 'body/options/policies/{index}: không có bộ quy tắc dựng sẵn "{id}"',
  },
  alreadyCancelled: {
    en: 'the campaign was already cancelled',
    vi: 'chiến dịch quét đã bị hủy trước đó',
  },
});
