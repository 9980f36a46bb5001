// Stable ids for what can be wrong with a certificate path, each with what it means in English and
// Vietnamese. Ids are an interface: policy rules test them, facts recorded by earlier versions carry
// them, and the JSON report shows them; add ids, never rename one.

import { defineMessages } from '../core/i18n/index.js';

/** In priority order: a path's `reason` is the first of these among its problems. */
export const TRUST_PROBLEMS = [
  'expired',
  'not-yet-valid',
  /** The issuer of a certificate on the path was neither sent nor is an anchor (unknown issuer). */
  'incomplete-chain',
  'unknown-root',
  'self-signed',
  'bad-signature',
  'no-anchors',
  'invalid-ca',
  'path-length-exceeded',
  'chain-too-long',
  'name-constraint-violation',
  'eku-not-server-auth',
  'leaf-key-usage',
  'unknown-critical-extension',
  'weak-signature-in-chain',
  'weak-key-in-chain',
  'ca-as-leaf',
  'malformed-san',
  'malformed-certificate',
  'key-identifier-invalid',
  'path-building-limit',
] as const;

export type TrustProblem = (typeof TRUST_PROBLEMS)[number];

/** Problems verifyCertificate reports beyond those of the path itself. */
export const VERIFY_PROBLEMS = [...TRUST_PROBLEMS, 'hostname-mismatch'] as const;
export type VerifyProblem = (typeof VERIFY_PROBLEMS)[number];

export const PROBLEM_TEXT = defineMessages<VerifyProblem>({
  expired: { en: 'a certificate on the path has expired', vi: 'một chứng thư trên đường dẫn tin cậy đã hết hạn' },
  'not-yet-valid': {
    en: 'a certificate on the path is not yet valid',
    vi: 'một chứng thư trên đường dẫn tin cậy chưa đến thời hạn hiệu lực',
  },
  'incomplete-chain': {
    en: 'the issuer of a certificate was neither sent nor is a trust anchor',
    vi: 'thiếu chứng thư của tổ chức cấp: máy chủ không gửi và đó cũng không phải chứng thư gốc tin cậy',
  },
  'unknown-root': {
    en: 'the chain ends at a root that is not trusted',
    vi: 'chuỗi chứng thư kết thúc ở một chứng thư gốc không được tin cậy',
  },
  'self-signed': { en: 'the certificate is self-signed and not a trust anchor', vi: 'chứng thư tự ký và không phải chứng thư gốc tin cậy' },
  'bad-signature': { en: 'a signature on the path does not verify', vi: 'một chữ ký trên đường dẫn tin cậy không hợp lệ' },
  'no-anchors': { en: 'there is no trust anchor to check against', vi: 'không có chứng thư gốc tin cậy nào để đối chiếu' },
  'invalid-ca': {
    en: 'an issuer is not a CA certificate allowed to sign certificates (basicConstraints, keyUsage)',
    vi: 'một chứng thư cấp phát không phải chứng thư của tổ chức chứng thực được phép ký chứng thư (basicConstraints, keyUsage)',
  },
  'path-length-exceeded': {
    en: "a CA's path length constraint (pathLenConstraint) is exceeded",
    vi: 'vượt quá giới hạn độ dài đường dẫn (pathLenConstraint) của một tổ chức chứng thực',
  },
  'chain-too-long': {
    en: 'the path has more intermediate certificates than allowed',
    vi: 'đường dẫn có nhiều chứng thư trung gian hơn mức cho phép',
  },
  'name-constraint-violation': {
    en: "a name in a certificate lies outside its issuers' name constraints",
    vi: 'một tên trong chứng thư nằm ngoài phạm vi tên (nameConstraints) mà tổ chức cấp được phép',
  },
  'eku-not-server-auth': {
    en: 'an extended key usage on the path does not allow TLS server authentication as the web PKI profile requires',
    vi: 'mục đích sử dụng khóa mở rộng (extKeyUsage) trên đường dẫn không cho phép xác thực máy chủ TLS theo đúng quy định',
  },
  'leaf-key-usage': {
    en: "the server certificate's key usage does not fit its key (or allows signing certificates)",
    vi: 'mục đích sử dụng khóa (keyUsage) của chứng thư máy chủ không phù hợp với khóa (hoặc cho phép ký chứng thư)',
  },
  'unknown-critical-extension': {
    en: 'a certificate has a critical extension that is not understood',
    vi: 'một chứng thư có phần mở rộng bắt buộc xử lý (critical) không được hỗ trợ',
  },
  'weak-signature-in-chain': {
    en: 'a certificate on the path is signed with a broken algorithm (SHA-1, MD5)',
    vi: 'một chứng thư trên đường dẫn được ký bằng thuật toán không còn an toàn (SHA-1, MD5)',
  },
  'weak-key-in-chain': {
    en: 'a certificate on the path has a forbidden or too weak key (RSA under 2048 bits, P-192, DSA)',
    vi: 'một chứng thư trên đường dẫn có khóa bị cấm hoặc quá yếu (RSA dưới 2048 bit, P-192, DSA)',
  },
  'ca-as-leaf': { en: 'the server certificate is a CA certificate', vi: 'chứng thư máy chủ lại là chứng thư của tổ chức chứng thực' },
  'malformed-san': { en: 'the subjectAltName extension is malformed', vi: 'phần mở rộng subjectAltName sai cấu trúc' },
  'malformed-certificate': {
    en: 'a certificate is encoded in a way browsers refuse (for example a negative serial number, a repeated extension, an empty issuer)',
    vi: 'một chứng thư được mã hóa sai quy cách mà trình duyệt từ chối (ví dụ số hiệu âm, phần mở rộng lặp lại, tên tổ chức cấp rỗng)',
  },
  'key-identifier-invalid': {
    en: 'an authority or subject key identifier is missing or malformed',
    vi: 'định danh khóa của tổ chức cấp hoặc của chủ thể bị thiếu hoặc sai',
  },
  'path-building-limit': {
    en: 'path building stopped: too many candidate certificates to try',
    vi: 'dừng dựng đường dẫn tin cậy: có quá nhiều chứng thư cần thử',
  },
  'hostname-mismatch': { en: 'the certificate is not valid for the name', vi: 'chứng thư không hợp lệ cho tên được kiểm tra' },
});

const PRIORITY = new Map<string, number>(VERIFY_PROBLEMS.map((p, i) => [p, i]));

/** Problems in priority order, each once. */
export function sortProblems<P extends VerifyProblem>(problems: Iterable<P>): P[] {
  return [...new Set(problems)].sort((a, b) => (PRIORITY.get(a) ?? 0) - (PRIORITY.get(b) ?? 0));
}
