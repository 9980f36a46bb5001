// Technical reasons probes write in English (connect, TLS, DNS, OCSP, file errors), with their
// Vietnamese. One catalogue serves both ends: probes that give their reason as {en, vi} take it from
// here, and reasons already recorded as English text (facts of an earlier version, a report converted
// later, modules that keep English ids) are said in Vietnamese from the same entries when shown.

import type { Localized } from '../types.js';
import { displayInstant } from './dates.js';

interface Entry {
  re: RegExp;
  vi: (m: RegExpExecArray) => string;
}

const g = (m: RegExpExecArray, i: number): string => m[i] ?? '';

/** What an operating-system error code means, for a reader. */
const ERRNO_VI: Record<string, string> = {
  ECONNREFUSED: 'bị từ chối kết nối',
  ECONNRESET: 'kết nối bị ngắt đột ngột',
  ETIMEDOUT: 'hết thời gian chờ',
  EHOSTUNREACH: 'không có đường tới máy đích',
  ENETUNREACH: 'không có đường mạng tới đích',
  EADDRNOTAVAIL: 'địa chỉ không dùng được trên máy quét',
  ENOTFOUND: 'tên không tồn tại trên DNS',
  ENOENT: 'không tìm thấy tệp',
  EACCES: 'không có quyền truy cập',
  EPERM: 'không được phép',
  EISDIR: 'là thư mục, không phải tệp',
  EPIPE: 'kết nối đã đóng',
};

function errnoVi(code: string): string {
  return ERRNO_VI[code] ? `${ERRNO_VI[code]} (${code})` : code;
}

const ENTRIES: Entry[] = [
  { re: /^TCP connect to (\S+) failed: (\S+)$/, vi: (m) => `kết nối TCP tới ${g(m, 1)} không thành công: ${errnoVi(g(m, 2))}` },
  { re: /^TCP connect to (\S+) timed out after (\d+) ms$/, vi: (m) => `kết nối TCP tới ${g(m, 1)} quá thời gian chờ ${g(m, 2)} ms` },
  { re: /^target deadline passed before connecting$/, vi: () => 'hết thời gian dành cho đối tượng quét trước khi kết nối' },
  {
    re: /^target deadline passed while connecting to (\S+)$/,
    vi: (m) => `hết thời gian dành cho đối tượng quét khi đang kết nối tới ${g(m, 1)}`,
  },
  { re: /^target deadline of (\d+) ms passed$/, vi: (m) => `đã hết thời gian ${g(m, 1)} ms dành cho đối tượng quét` },
  { re: /^target deadline passed waiting for (\S+)$/, vi: (m) => `hết thời gian dành cho đối tượng quét khi chờ ${g(m, 1)}` },
  { re: /^scan cancelled$/, vi: () => 'phiên quét đã bị hủy' },
  { re: /^no UDP reply from (\S+) within (\d+) ms$/, vi: (m) => `không nhận được trả lời UDP từ ${g(m, 1)} trong ${g(m, 2)} ms` },
  { re: /^UDP to (\S+) failed: (\S+)$/, vi: (m) => `gửi UDP tới ${g(m, 1)} không thành công: ${errnoVi(g(m, 2))}` },
  { re: /^no DNS reply over TCP within (\d+) ms$/, vi: (m) => `không nhận được trả lời DNS qua TCP trong ${g(m, 1)} ms` },
  { re: /^server closed the TCP connection without a DNS reply$/, vi: () => 'máy chủ đóng kết nối TCP mà không trả lời DNS' },
  { re: /^reply is not a DNS message$/, vi: () => 'câu trả lời không phải thông điệp DNS' },
  { re: /^no NS records for (\S+) or any parent zone$/, vi: (m) => `không có bản ghi NS cho ${g(m, 1)} hay vùng cha nào của nó` },
  { re: /^(\S+) has no address$/, vi: (m) => `${g(m, 1)} không có địa chỉ IP` },
  { re: /^no endpoint declared$/, vi: () => 'chưa khai báo điểm kết nối' },
  { re: /^port (\d+) is not 1–65535$/, vi: (m) => `cổng ${g(m, 1)} nằm ngoài khoảng 1–65535` },
  { re: /^no TLS handshake within (\d+) ms$/, vi: (m) => `không hoàn tất bắt tay TLS trong ${g(m, 1)} ms` },
  { re: /^server closed the connection during the TLS handshake$/, vi: () => 'máy chủ đóng kết nối trong khi bắt tay TLS' },
  { re: /^TLS handshake failed: (.+)$/, vi: (m) => `bắt tay TLS không thành công (chi tiết kỹ thuật: ${g(m, 1)})` },
  { re: /^(.+?): server reset the connection \((\S+)\)$/, vi: (m) => `${g(m, 1)}: máy chủ ngắt kết nối (${g(m, 2)})` },
  { re: /^server sent no certificate$/, vi: () => 'máy chủ không gửi chứng thư số' },
  { re: /^server negotiated (.+)$/, vi: (m) => `máy chủ thỏa thuận ${g(m, 1)}` },
  {
    re: /^no answer to the (\S+) ClientHello within (\d+) ms$/,
    vi: (m) => `không có trả lời cho ClientHello ${g(m, 1)} trong ${g(m, 2)} ms`,
  },
  {
    re: /^server reset the connection in answer to the (\S+) ClientHello \((\S+)\)$/,
    vi: (m) => `máy chủ ngắt kết nối khi nhận ClientHello ${g(m, 1)} (${g(m, 2)})`,
  },
  {
    re: /^server refused the (\S+) ClientHello with (fatal|warning) alert (\S+) \((\d+)\)$/,
    vi: (m) =>
      `máy chủ từ chối ClientHello ${g(m, 1)} bằng cảnh báo ${g(m, 2) === 'fatal' ? 'nghiêm trọng' : 'thông thường'} ${g(m, 3)} (${g(m, 4)})`,
  },
  {
    re: /^server chose (\S+) in answer to a (\S+)-only ClientHello$/,
    vi: (m) => `máy chủ chọn ${g(m, 1)} khi nhận ClientHello chỉ đề nghị ${g(m, 2)}`,
  },
  { re: /^not probed$/, vi: () => 'chưa thăm dò' },
  {
    re: /^the SMTP server does not offer STARTTLS \(EHLO lists: (.*)\)$/,
    vi: (m) => `máy chủ SMTP không hỗ trợ STARTTLS (EHLO liệt kê: ${g(m, 1)})`,
  },
  {
    re: /^the scanning host has no global IPv6 address on any interface$/,
    vi: () => 'máy quét không có địa chỉ IPv6 toàn cầu trên giao diện mạng nào',
  },
  {
    re: /^--ipv6-connectivity no: the scanning host is treated as having no IPv6$/,
    vi: () => '--ipv6-connectivity no: coi như máy quét không có IPv6',
  },
  { re: /^--lab: IPv6 over loopback \(::1\)$/, vi: () => '--lab: IPv6 qua địa chỉ loopback (::1)' },
  { re: /^global IPv6 address (\S+) on (\S+)$/, vi: (m) => `địa chỉ IPv6 toàn cầu ${g(m, 1)} trên giao diện ${g(m, 2)}` },
  {
    re: /^the inventory names no evidence manifest for this system$/,
    vi: () => 'danh mục không khai báo tệp khai báo bằng chứng cho hệ thống này',
  },
  { re: /^no such file$/, vi: () => 'không có tệp này' },
  { re: /^not a regular file$/, vi: () => 'không phải tệp thông thường' },
  { re: /^cannot read: (\S+)$/, vi: (m) => `không đọc được: ${errnoVi(g(m, 1))}` },
  { re: /^signature file: missing$/, vi: () => 'tệp chữ ký: không có' },
  {
    re: /^resolves \(through a symbolic link\) outside the evidence folder; not read$/,
    vi: () => 'trỏ (qua liên kết tượng trưng) ra ngoài thư mục bằng chứng; không đọc',
  },
  { re: /^no certificate found \(expected PEM or DER\)$/, vi: () => 'không tìm thấy chứng thư số (cần định dạng PEM hoặc DER)' },
  // OCSP staple problems (src/pki/ocsp-verify.ts).
  {
    re: /^the certificate's issuer was neither sent nor an anchor, so the signature cannot be checked$/,
    vi: () => 'máy chủ không gửi chứng thư của tổ chức cấp và đó cũng không phải chứng thư gốc tin cậy, nên không kiểm tra được chữ ký',
  },
  {
    re: /^the responder answered (\S+), which carries no certificate status$/,
    vi: (m) => `máy chủ OCSP trả lời ${g(m, 1)}, không chứa trạng thái chứng thư`,
  },
  {
    re: /^signed by an unknown responder: .*$/,
    vi: () =>
      'được ký bởi một máy chủ OCSP không xác định: định danh của nó không chỉ tổ chức cấp cũng không chỉ chứng thư nào kèm theo phản hồi',
  },
  { re: /^the responder's public key cannot be loaded$/, vi: () => 'không đọc được khóa công khai của máy chủ OCSP' },
  { re: /^signature algorithm (\S+) is not supported$/, vi: (m) => `thuật toán chữ ký ${g(m, 1)} không được hỗ trợ` },
  { re: /^the signature does not verify with the issuer's key$/, vi: () => 'chữ ký không khớp với khóa của tổ chức cấp' },
  {
    re: /^the signature does not verify with the delegated responder's key$/,
    vi: () => 'chữ ký không khớp với khóa của máy chủ OCSP được ủy quyền',
  },
  {
    re: /^the response's thisUpdate (\S+) is in the future$/,
    vi: (m) => `thời điểm thisUpdate ${displayInstant(g(m, 1), 'vi')} của phản hồi nằm ở tương lai`,
  },
  {
    re: /^the response is stale: its nextUpdate (\S*) has passed$/,
    vi: (m) => `phản hồi đã cũ: đã qua thời điểm nextUpdate ${displayInstant(g(m, 1), 'vi')}`,
  },
  {
    re: /^the response is about serial (\S+) of another issuer, not this certificate's$/,
    vi: (m) => `phản hồi nói về số hiệu ${g(m, 1)} của một tổ chức cấp khác, không phải chứng thư này`,
  },
  {
    re: /^the response is about (.+), not this certificate \(serial (\S+)\)$/,
    vi: (m) => `phản hồi nói về ${g(m, 1)}, không phải chứng thư này (số hiệu ${g(m, 2)})`,
  },
  { re: /^stapled OCSP response is unreadable: (.+)$/, vi: (m) => `không đọc được phản hồi OCSP đính kèm (chi tiết kỹ thuật: ${g(m, 1)})` },
  { re: /^not stapled$/, vi: () => 'không đính kèm' },
  {
    re: /^probe stopped on an unexpected error: (.+)$/,
    vi: (m) => `phép thăm dò dừng do lỗi không lường trước (chi tiết kỹ thuật: ${g(m, 1)})`,
  },
  {
    re: /^inspection stopped on an unexpected error: (.+)$/,
    vi: (m) => `việc kiểm tra dừng do lỗi không lường trước (chi tiết kỹ thuật: ${g(m, 1)})`,
  },
];

/** A known technical reason in both languages, or null when the text is not one of them. */
export function technicalText(en: string): Localized | null {
  for (const { re, vi } of ENTRIES) {
    const m = re.exec(en);
    if (m) return { en, vi: vi(m) };
  }
  return null;
}

/** A reason in both languages: the catalogue's words when it knows the text, else the text labelled as technical detail. */
export function technicalReason(en: string): Localized {
  return technicalText(en) ?? { en, vi: `chi tiết kỹ thuật: ${en}` };
}
