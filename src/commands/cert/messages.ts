// What `govscan cert verify` prints, in both languages.

import { defineMessages } from '../../core/i18n/index.js';

export const C = defineMessages({
  empty: { en: 'empty file (expected PEM or DER certificates)', vi: 'tệp rỗng (cần chứng thư số dạng PEM hoặc DER)' },
  noPem: {
    en: 'no certificate found (expected -----BEGIN CERTIFICATE----- blocks, or a DER certificate)',
    vi: 'không tìm thấy chứng thư số nào (cần các khối -----BEGIN CERTIFICATE----- hoặc một chứng thư dạng DER)',
  },
  notCertificate: {
    en: 'not a certificate: neither PEM nor a DER certificate or PKCS#7 bundle',
    vi: 'không phải chứng thư số: không ở dạng PEM, không phải chứng thư DER hay gói PKCS#7',
  },
  badBlock: { en: 'not a valid certificate: {reason}', vi: 'chứng thư số không hợp lệ: {reason}' },
  cannotRead: { en: 'cannot read the file: {reason}', vi: 'không đọc được tệp: {reason}' },
  badName: {
    en: '--name "{name}": not a DNS name or an IP address',
    vi: '--name "{name}": không phải tên miền hay địa chỉ IP',
  },
  badAt: {
    en: '--at "{at}": not an ISO-8601 date or time (e.g. 2026-03-01 or 2026-03-01T08:00:00Z)',
    vi: '--at "{at}": không phải ngày hoặc thời điểm theo ISO-8601 (ví dụ 2026-03-01 hoặc 2026-03-01T08:00:00Z)',
  },
  pathHeading: { en: 'Certificate path (server certificate first):', vi: 'Đường dẫn chứng thư (chứng thư máy chủ trước):' },
  noPath: {
    en: 'none: the server certificate is encoded in a way browsers refuse',
    vi: 'không có: chứng thư máy chủ được mã hóa sai quy cách mà trình duyệt từ chối',
  },
  anchorMark: { en: '(trust anchor)', vi: '(chứng thư gốc tin cậy)' },
  issuer: { en: 'issuer', vi: 'tổ chức cấp' },
  validity: { en: 'valid', vi: 'hiệu lực' },
  validityRange: { en: '{from} to {to}', vi: 'từ {from} đến {to}' },
  key: { en: 'key', vi: 'khóa' },
  keyBits: { en: '{type} {bits} bits', vi: '{type} {bits} bit' },
  keyCurve: { en: '{type} {curve}', vi: '{type} {curve}' },
  verdictValid: { en: 'Verdict: VALID', vi: 'Kết luận: HỢP LỆ' },
  verdictInvalid: { en: 'Verdict: NOT VALID', vi: 'Kết luận: KHÔNG HỢP LỆ' },
  trustedBy: { en: 'trusted: chains to {anchor}', vi: 'được tin cậy: dẫn đến {anchor}' },
  notTrusted: { en: 'not trusted', vi: 'không được tin cậy' },
  nameMatches: { en: 'valid for the name {name}', vi: 'hợp lệ cho tên {name}' },
  nameDiffers: { en: 'not valid for the name {name}', vi: 'không hợp lệ cho tên {name}' },
  noName: { en: 'no name checked (--name)', vi: 'không kiểm tra tên (--name)' },
  at: { en: 'judged at {at}', vi: 'đánh giá tại thời điểm {at}' },
  problemsHeading: { en: 'Problems:', vi: 'Các vấn đề:' },
  noProblems: { en: 'No problems found.', vi: 'Không phát hiện vấn đề nào.' },
});

/** Key type names as a reader knows them (the same in both languages). */
export const KEY_NAMES: Record<string, string> = {
  rsa: 'RSA',
  'rsa-pss': 'RSA-PSS',
  ec: 'ECDSA',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  dsa: 'DSA',
  unknown: '?',
};
