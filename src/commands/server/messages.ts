// What `govscan server` and `govscan server backup` print, in both languages.

import { defineMessages } from '../../core/i18n/index.js';

export const S = defineMessages({
  retentionPruned: {
    en: "govscan server: retention: {count} {count:report|reports} dated before {before} deleted (each agent's latest report and the newest of each scan target kept)",
    vi: 'govscan server: lưu giữ dữ liệu: đã xóa {count} báo cáo lập trước {before} (giữ lại báo cáo mới nhất của mỗi tác tử và của mỗi đối tượng quét)',
  },
  campaignTickFailed: {
    en: 'govscan server: campaigns: scheduled runs and expired jobs could not be handled: {message} (tried again within 15 s)',
    vi: 'govscan server: chiến dịch quét: chưa xử lý được các lượt quét theo lịch và các việc quá hạn: {message} (sẽ thử lại trong vòng 15 giây)',
  },
  retentionFailed: {
    en: 'govscan server: retention: old reports could not be deleted: {message} (tried again within the hour)',
    vi: 'govscan server: lưu giữ dữ liệu: không xóa được các báo cáo cũ: {message} (sẽ thử lại trong vòng một giờ)',
  },
  backupWritten: {
    en: 'backup of {db} written to {file} ({size} bytes); restore: stop the server, copy it in place of the database file, start the server',
    vi: 'đã ghi bản sao lưu của {db} vào {file} ({size} byte); khôi phục: dừng máy chủ, chép tệp này thay cho tệp cơ sở dữ liệu, khởi động lại máy chủ',
  },
  backupExists: {
    en: '{file} exists: give --force to replace it',
    vi: '{file} đã tồn tại: thêm --force để ghi đè',
  },
  backupPostgres: {
    en: "--db: a PostgreSQL database is backed up with PostgreSQL's own tool, while the server runs: {command}",
    vi: '--db: cơ sở dữ liệu PostgreSQL được sao lưu bằng công cụ của chính PostgreSQL, trong khi máy chủ vẫn chạy: {command}',
  },
  backupMemory: {
    en: '--db: an in-memory database (sqlite::memory:) has nothing to back up',
    vi: '--db: cơ sở dữ liệu trong bộ nhớ (sqlite::memory:) không có gì để sao lưu',
  },
  whyNotRegularFile: { en: 'it is not a regular file', vi: 'đó không phải là tệp thông thường' },
  whyTheDatabase: { en: 'it is the database itself', vi: 'đó chính là tệp cơ sở dữ liệu' },
  whyNoDatabase: { en: 'no such database file', vi: 'không có tệp cơ sở dữ liệu này' },
  whyNotGovscan: { en: 'it is not a govscan database', vi: 'đó không phải là cơ sở dữ liệu của govscan' },
  backupFailed: {
    en: 'cannot back up {db} to {file}: {message}',
    vi: 'không sao lưu được {db} vào {file}: {message}',
  },
});
