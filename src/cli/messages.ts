// Texts the CLI itself prints (progress, errors, exit explanations), in both languages.

import { defineMessages } from '../core/i18n/index.js';

export const M = defineMessages({
  progressCounts: { en: '{failed} failed, {passed} passed', vi: '{failed} không đạt, {passed} đạt' },
  progressNotTested: { en: 'not tested: {reason}', vi: 'không kiểm tra được: {reason}' },
  progressAggregate: {
    en: '{done}/{total} {total:target|targets} scanned, {failed} failed {failed:finding|findings}',
    vi: 'đã quét {done}/{total} đối tượng quét, {failed} phát hiện không đạt',
  },
  inputError: { en: 'error: {message}', vi: 'lỗi: {message}' },
  internalError: {
    en: 'internal error: {message} (run again with GOVSCAN_DEBUG=1 for details)',
    vi: 'lỗi nội bộ: {message} (chạy lại với GOVSCAN_DEBUG=1 để xem chi tiết)',
  },
  interrupted: {
    en: 'interrupted: the report holds what was gathered before Ctrl-C (unfinished targets are not tested): exit 130',
    vi: 'đã dừng (Ctrl-C): báo cáo gồm những gì thu thập được trước khi dừng (các đối tượng quét chưa xong được ghi là chưa kiểm tra): mã thoát 130',
  },
  reportWritten: { en: 'report written to {file}', vi: 'đã ghi báo cáo vào {file}' },
  noPolicyMatch: { en: 'no built-in policy "{id}"', vi: 'không có bộ quy tắc dựng sẵn "{id}"' },
  policyValid: { en: '{file}: valid ({rules} {rules:rule|rules})', vi: '{file}: hợp lệ ({rules} quy tắc)' },
  cannotWriteIn: { en: '{flag}: cannot write in {path}: {why}', vi: '{flag}: không ghi được vào thư mục {path}: {why}' },
  cannotWriteTo: { en: '{flag}: cannot write to {path}: {why}', vi: '{flag}: không ghi được vào {path}: {why}' },
  whyNoDirectory: { en: 'no such directory', vi: 'thư mục không tồn tại' },
  whyNotDirectory: { en: 'not a directory', vi: 'không phải là thư mục' },
  whyIsDirectory: { en: 'it is a directory', vi: 'đó là một thư mục' },
  whyPermission: { en: 'permission denied', vi: 'không có quyền ghi' },
  whyReadOnly: { en: 'read-only file system', vi: 'hệ thống tệp chỉ cho phép đọc' },
  whyLinks: { en: 'too many levels of symbolic links', vi: 'quá nhiều liên kết tượng trưng lồng nhau' },
});
