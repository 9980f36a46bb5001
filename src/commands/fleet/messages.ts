// What `govscan fleet …` prints, in both languages.

import { defineMessages } from '../../core/i18n/index.js';

export const F = defineMessages({
  // server token list / revoke (admin commands on the database)
  noTokens: {
    en: 'no tokens yet: create one with `govscan server token create --role viewer`',
    vi: 'chưa có token nào: tạo bằng `govscan server token create --role viewer`',
  },
  colId: { en: 'ID', vi: 'MÃ' },
  colRole: { en: 'ROLE', vi: 'VAI TRÒ' },
  colFor: { en: 'FOR', vi: 'DÀNH CHO' },
  colCreated: { en: 'CREATED', vi: 'NGÀY TẠO' },
  tokenAgencyUnknown: {
    en: '--agency: no agency "{agency}" on this server (an agency exists once an enrolment secret was created for it: `govscan server enrollment create --agency ID`)',
    vi: '--agency: máy chủ không có cơ quan "{agency}" (cơ quan có sau khi tạo mã đăng ký cho cơ quan đó: `govscan server enrollment create --agency ID`)',
  },
  tokenAgencyViewerOnly: {
    en: '--agency: only viewer and soc tokens are scoped to an agency (--role viewer or --role soc)',
    vi: '--agency: chỉ token viewer và soc mới giới hạn theo một cơ quan (--role viewer hoặc --role soc)',
  },
  tokenRevoked: { en: 'revoked token {id}', vi: 'đã thu hồi token {id}' },
  tokenUnknown: {
    en: 'no token with id "{id}" (see `govscan server token list`)',
    vi: 'không có token mã "{id}" (xem `govscan server token list`)',
  },
  // flags and connection
  serverRequired: {
    en: '--server: the govscan server URL is required (or set GOVSCAN_SERVER), e.g. https://soc.example.gov.vn:8443',
    vi: '--server: cần địa chỉ máy chủ govscan (hoặc đặt GOVSCAN_SERVER), ví dụ https://soc.example.gov.vn:8443',
  },
  serverBad: {
    en: '--server: {value} is not an http:// or https:// URL',
    vi: '--server: {value} không phải địa chỉ http:// hoặc https://',
  },
  tokenRequired: {
    en: '--token: a viewer or admin token is required (or set GOVSCAN_TOKEN); create one with `govscan server token create --role viewer`',
    vi: '--token: cần token viewer hoặc admin (hoặc đặt GOVSCAN_TOKEN); tạo bằng `govscan server token create --role viewer`',
  },
  unreachable: {
    en: 'cannot reach the govscan server at {url}: {reason}',
    vi: 'không kết nối được máy chủ govscan tại {url}: {reason}',
  },
  connectionRefused: { en: 'connection refused', vi: 'kết nối bị từ chối' },
  timedOut: { en: 'no answer within {seconds} s', vi: 'không có phản hồi sau {seconds} giây' },
  untrusted: {
    en: 'the server certificate at {url} is not trusted ({reason}); pass the server CA with --ca-file',
    vi: 'chứng thư số của máy chủ tại {url} không được tin cậy ({reason}); chỉ định CA của máy chủ bằng --ca-file',
  },
  unauthorized: {
    en: 'the server at {url} refused the token (401 unauthorized): check --token or GOVSCAN_TOKEN',
    vi: 'máy chủ tại {url} từ chối token (401 unauthorized): kiểm tra --token hoặc GOVSCAN_TOKEN',
  },
  forbidden: {
    en: 'the token may not read fleet data (403 forbidden): fleet commands need a viewer or admin token',
    vi: 'token không có quyền đọc dữ liệu (403 forbidden): lệnh fleet cần token viewer hoặc admin',
  },
  notFound: { en: '{what}: not found on the server (404)', vi: '{what}: không có trên máy chủ (404)' },
  serverError: { en: 'the server answered {status}: {message}', vi: 'máy chủ trả lời {status}: {message}' },
  notJson: {
    en: 'the server at {url} did not answer with JSON: is it a govscan server?',
    vi: 'máy chủ tại {url} không trả về JSON: có phải máy chủ govscan không?',
  },

  // status
  colAgency: { en: 'AGENCY', vi: 'CƠ QUAN' },
  colName: { en: 'NAME', vi: 'TÊN' },
  colPassRate: { en: 'PASS RATE', vi: 'TỶ LỆ ĐẠT' },
  colCritical: { en: 'CRIT', vi: 'NGHIÊM TRỌNG' },
  colHigh: { en: 'HIGH', vi: 'CAO' },
  colMedium: { en: 'MED', vi: 'TRUNG BÌNH' },
  colLow: { en: 'LOW', vi: 'THẤP' },
  colAgents: { en: 'AGENTS', vi: 'TÁC TỬ' },
  colStale: { en: 'STALE', vi: 'MẤT LIÊN LẠC' },
  colLastSeen: { en: 'LAST SEEN', vi: 'LẦN CUỐI' },
  colPolicy: { en: 'POLICY', vi: 'BỘ QUY TẮC' },
  colPassedFailed: { en: 'PASSED/FAILED', vi: 'ĐẠT/KHÔNG ĐẠT' },
  never: { en: 'never', vi: 'chưa bao giờ' },
  noAgencies: {
    en: 'No agency yet: create an enrolment secret with `govscan server enrollment create --agency ID` and enrol an agent.',
    vi: 'Chưa có cơ quan nào: tạo mã đăng ký bằng `govscan server enrollment create --agency ID` rồi đăng ký tác tử.',
  },
  staleHeading: { en: 'Agents not heard from:', vi: 'Tác tử mất liên lạc:' },
  staleLine: { en: '{hostname} ({agency}) last seen {lastSeen}', vi: '{hostname} ({agency}) lần cuối {lastSeen}' },
  statusSummary: {
    en: 'agencies: {agencies} · agents: {agents} ({stale} stale) · batches: {batches} · failed findings: {failed}',
    vi: 'cơ quan: {agencies} · tác tử: {agents} ({stale} mất liên lạc) · lô kết quả: {batches} · phát hiện không đạt: {failed}',
  },

  // findings
  colSeverity: { en: 'SEVERITY', vi: 'MỨC ĐỘ' },
  colOutcome: { en: 'OUTCOME', vi: 'KẾT QUẢ' },
  colRule: { en: 'RULE', vi: 'QUY TẮC' },
  colSystem: { en: 'SYSTEM', vi: 'HỆ THỐNG' },
  colTarget: { en: 'TARGET', vi: 'ĐỐI TƯỢNG QUÉT' },
  colMessage: { en: 'MESSAGE', vi: 'NỘI DUNG' },
  unassigned: { en: '(unassigned)', vi: '(chưa gán)' },
  noFindings: { en: 'No finding matches.', vi: 'Không có phát hiện nào phù hợp.' },
  findingsSummary: { en: '{shown} of {total} findings shown', vi: 'hiển thị {shown} trên {total} phát hiện' },

  // export
  exportWritten: { en: '{format} export of {agency} written to {file}', vi: 'đã ghi bản xuất {format} của {agency} vào {file}' },
});
