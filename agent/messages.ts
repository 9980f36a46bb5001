// Everything govscan-agent prints, in English and Vietnamese (GOVSCAN_LANG or --lang picks one).

import { defineMessages } from '../src/core/i18n/index.js';

export const AGENT_MESSAGES = defineMessages({
  usage: {
    en: `govscan-agent — runs govscan on an agency host on a schedule and delivers the results to a govscan server

Usage:
  govscan-agent enroll --server URL --secret SECRET [--config FILE] [--force]
  govscan-agent run [--once] [--config FILE]

  enroll   exchange a one-time enrolment secret for this agent's token (saved with mode 0600)
  run      scan on the configured interval (with jitter), spool each run's batch and deliver it;
           --once: one run and one delivery attempt, for a systemd timer

Options:
  --config FILE   agent configuration (default $GOVSCAN_AGENT_CONFIG, else /etc/govscan/agent.yaml)
  --lang en|vi    language of messages (default $GOVSCAN_LANG, else en)
  --help, --version

Every option can come from GOVSCAN_<OPTION> instead (GOVSCAN_SERVER, GOVSCAN_SECRET, GOVSCAN_FORCE=1,
GOVSCAN_ONCE=1; --config from GOVSCAN_AGENT_CONFIG); an option given wins over its variable, which wins
over the configuration file.

Environment: HTTPS_PROXY (or HTTP_PROXY) sends enrolment and uploads through that HTTP proxy (CONNECT);
NO_PROXY lists servers reached directly (comma-separated host names, domains, IP addresses, *).

Exit codes: 0 done (a batch that could not be delivered yet stays in the spool); 2 invalid usage or configuration; 3 could not run.`,
    vi: `govscan-agent — chạy govscan định kỳ trên máy chủ của cơ quan và gửi kết quả về máy chủ govscan

Cách dùng:
  govscan-agent enroll --server URL --secret SECRET [--config FILE] [--force]
  govscan-agent run [--once] [--config FILE]

  enroll   đổi mã đăng ký dùng một lần lấy token của tác tử này (lưu với quyền 0600)
  run      quét theo chu kỳ đã cấu hình (có độ lệch ngẫu nhiên), lưu lô kết quả mỗi lần chạy vào hàng đợi và gửi đi;
           --once: chạy một lần và thử gửi một lần, dùng với systemd timer

Tùy chọn:
  --config FILE   tệp cấu hình tác tử (mặc định $GOVSCAN_AGENT_CONFIG, nếu không có thì /etc/govscan/agent.yaml)
  --lang en|vi    ngôn ngữ thông báo (mặc định $GOVSCAN_LANG, nếu không có thì en)
  --help, --version

Mọi tùy chọn đều có thể lấy từ biến môi trường GOVSCAN_<TÙY_CHỌN> (GOVSCAN_SERVER, GOVSCAN_SECRET, GOVSCAN_FORCE=1,
GOVSCAN_ONCE=1; --config lấy từ GOVSCAN_AGENT_CONFIG); tùy chọn ghi trên dòng lệnh được ưu tiên hơn biến môi trường,
biến môi trường được ưu tiên hơn tệp cấu hình.

Biến môi trường: HTTPS_PROXY (hoặc HTTP_PROXY) gửi yêu cầu đăng ký và các lô kết quả qua máy chủ ủy quyền HTTP đó (CONNECT);
NO_PROXY liệt kê các máy chủ kết nối trực tiếp (tên máy, tên miền, địa chỉ IP cách nhau bởi dấu phẩy, hoặc *).

Mã thoát: 0 hoàn tất (lô chưa gửi được vẫn nằm trong hàng đợi); 2 sai cách dùng hoặc cấu hình; 3 không thể chạy.`,
  },
  unknownCommand: {
    en: 'unknown command "{command}": expected enroll or run (see --help)',
    vi: 'lệnh không hợp lệ "{command}": cần enroll hoặc run (xem --help)',
  },
  unknownFlag: {
    en: '{flag}: unknown option for "{command}" (see --help)',
    vi: '{flag}: tùy chọn không hợp lệ cho "{command}" (xem --help)',
  },
  missingValue: { en: '{flag}: expects a value', vi: '{flag}: cần một giá trị' },
  missingFlag: { en: '{flag}: required', vi: '{flag}: bắt buộc' },
  badLang: { en: '--lang: must be en or vi (got "{value}")', vi: '--lang: phải là en hoặc vi (nhận được "{value}")' },
  badServerUrl: {
    en: '--server: "{value}" is not an http(s)://HOST[:PORT] URL',
    vi: '--server: "{value}" không phải URL dạng http(s)://HOST[:PORT]',
  },
  noServer: {
    en: 'no server URL: pass --server or set server.url in the configuration',
    vi: 'chưa có URL máy chủ: dùng --server hoặc khai báo server.url trong tệp cấu hình',
  },
  enrolled: {
    en: 'enrolled as agent {agentId} of agency {agency}; token saved to {file}',
    vi: 'đã đăng ký: tác tử {agentId} thuộc cơ quan {agency}; token đã lưu vào {file}',
  },
  alreadyEnrolled: {
    en: '{file}: a token is already there: this agent is enrolled (pass --force to enrol again)',
    vi: '{file}: đã có token: tác tử này đã được đăng ký (dùng --force để đăng ký lại)',
  },
  enrollRefused: {
    en: 'the server refused the enrolment ({status} {error}): the secret is unknown, already used or expired',
    vi: 'máy chủ từ chối đăng ký ({status} {error}): mã đăng ký không đúng, đã dùng hoặc đã hết hạn',
  },
  serverError: { en: '{url} answered {status}: {message}', vi: '{url} trả lời {status}: {message}' },
  viaProxy: {
    en: 'connecting to {server} through the proxy {proxy} (HTTPS_PROXY, HTTP_PROXY; NO_PROXY lists the servers reached directly)',
    vi: 'kết nối tới {server} qua máy chủ ủy quyền {proxy} (HTTPS_PROXY, HTTP_PROXY; NO_PROXY liệt kê các máy chủ kết nối trực tiếp)',
  },
  badProxy: {
    en: 'the proxy setting {value} (HTTPS_PROXY, HTTP_PROXY) is not an http:// or https:// URL',
    vi: 'giá trị {value} của máy chủ ủy quyền (HTTPS_PROXY, HTTP_PROXY) không phải địa chỉ http:// hoặc https://',
  },
  serverUnreachable: { en: 'cannot reach {url}: {reason}', vi: 'không kết nối được {url}: {reason}' },
  notEnrolled: {
    en: '{file}: no agent token: run `govscan-agent enroll --server URL --secret SECRET` first',
    vi: '{file}: chưa có token của tác tử: hãy chạy `govscan-agent enroll --server URL --secret SECRET` trước',
  },
  badToken: { en: '{file}: not a govscan-agent token file ({reason})', vi: '{file}: không phải tệp token của govscan-agent ({reason})' },
  runStarted: { en: 'run {batchId}: scanning {targets} target(s)', vi: 'lần chạy {batchId}: đang quét {targets} đối tượng quét' },
  runSpooled: {
    en: 'run {batchId}: {findings} finding(s), {failed} failed; batch spooled ({bytes} bytes)',
    vi: 'lần chạy {batchId}: {findings} phát hiện, {failed} không đạt; đã lưu lô vào hàng đợi ({bytes} byte)',
  },
  runInterrupted: { en: 'run interrupted ({signal}): no batch written', vi: 'lần chạy bị ngắt ({signal}): không ghi lô nào' },
  runFailed: {
    en: 'run failed (exit {code}): nothing spooled this time',
    vi: 'lần chạy thất bại (mã thoát {code}): lần này không có lô nào được lưu',
  },
  spoolDropped: {
    en: 'spool over its cap of {max} bytes: dropped the {count} oldest batch(es) ({bytes} bytes): {ids}',
    vi: 'hàng đợi vượt giới hạn {max} byte: đã xóa {count} lô cũ nhất ({bytes} byte): {ids}',
  },
  spoolTmpRemoved: {
    en: 'removed {count} unfinished spool file(s) left by an interrupted write',
    vi: 'đã xóa {count} tệp chưa ghi xong trong hàng đợi do lần ghi bị ngắt',
  },
  batchStored: { en: 'batch {batchId} delivered', vi: 'đã gửi lô {batchId}' },
  batchDuplicate: {
    en: 'batch {batchId} was already stored: removed from the spool',
    vi: 'lô {batchId} đã được lưu trước đó: đã xóa khỏi hàng đợi',
  },
  batchRejected: {
    en: "batch {batchId} refused by the server ({status} {error}: {message}): it is not sent again; moved to {file}. If the agent's and the server's versions differ, bring them in line, then move the file back into {spool} to send it again",
    vi: 'máy chủ từ chối lô {batchId} ({status} {error}, máy chủ báo: {message}): lô không được gửi lại; đã chuyển sang {file}. Nếu phiên bản của tác tử và của máy chủ khác nhau, hãy cập nhật cho khớp rồi chuyển tệp về {spool} để gửi lại',
  },
  batchForbidden: {
    en: "batch {batchId} refused by the server (403 {error}): it names another agent or agency than this agent's token (enrolled again since it was written?); moved to {file}: it cannot be sent with this token",
    vi: 'máy chủ từ chối lô {batchId} (403 {error}): lô mang tên tác tử hoặc cơ quan khác với token hiện tại của tác tử (đã đăng ký lại sau khi lô được ghi?); đã chuyển sang {file}: không thể gửi lô này bằng token hiện tại',
  },
  batchConflict: {
    en: 'batch {batchId} refused by the server (409 {error}): another agent has already sent a batch with this id (was this spool copied from another host?); moved to {file}: it is not sent again; tell the SOC, and delete the file once they have looked into it',
    vi: 'máy chủ từ chối lô {batchId} (409 {error}): một tác tử khác đã gửi một lô có cùng mã (hàng đợi này có bị sao chép từ máy khác?); đã chuyển sang {file}: lô không được gửi lại; hãy báo cho SOC và chỉ xóa tệp sau khi SOC đã kiểm tra',
  },
  batchTooLarge: {
    en: "batch {batchId} ({bytes} bytes) is larger than the server accepts (413): moved to {file}; raise the server's --body-limit (and the body limit of any proxy in front of it), then move the file back into {spool} to send it again",
    vi: 'lô {batchId} ({bytes} byte) lớn hơn mức máy chủ chấp nhận (413): đã chuyển sang {file}; hãy tăng --body-limit của máy chủ (và giới hạn kích thước của máy chủ trung gian đứng trước nó, nếu có) rồi chuyển tệp về {spool} để gửi lại',
  },
  batchNotMoved: {
    en: "batch {batchId} refused by the server ({status} {error}), and it could not be moved to {dir} ({code}): it stays in the spool and is offered again at the next delivery; let the agent's user write to {dir}",
    vi: 'máy chủ từ chối lô {batchId} ({status} {error}) và không chuyển được lô sang {dir} ({code}): lô vẫn nằm trong hàng đợi và sẽ được gửi lại ở lần gửi sau; hãy cho người dùng của tác tử quyền ghi vào {dir}',
  },
  entryForeign: {
    en: "spool entry {file} cannot be read ({code}): it belongs to uid {uid} and the agent runs as {user} (left by `sudo govscan-agent run --once`?); moved to {target}, the other batches are still sent; give it to the agent's user (`chown {user} {target}`), then move it back into {spool} to send it",
    vi: 'không đọc được mục {file} trong hàng đợi ({code}): tệp thuộc uid {uid} còn tác tử chạy với người dùng {user} (do lệnh `sudo govscan-agent run --once` để lại?); đã chuyển sang {target}, các lô khác vẫn được gửi; hãy giao tệp cho người dùng của tác tử (`chown {user} {target}`) rồi chuyển về {spool} để gửi',
  },
  entryUnreadable: {
    en: "spool entry {file} cannot be read ({code}); moved to {target}, the other batches are still sent; make it readable by the agent's user ({user}), then move it back into {spool} to send it",
    vi: 'không đọc được mục {file} trong hàng đợi ({code}); đã chuyển sang {target}, các lô khác vẫn được gửi; hãy cho người dùng của tác tử ({user}) quyền đọc tệp rồi chuyển về {spool} để gửi',
  },
  entryNotAFile: {
    en: 'spool entry {file} is {kind}, not a batch file the agent wrote: not followed, not read, not sent; moved to {target}, the other batches are still sent',
    vi: 'mục {file} trong hàng đợi là {kind}, không phải tệp lô do tác tử ghi: không đi theo, không đọc, không gửi; đã chuyển sang {target}, các lô khác vẫn được gửi',
  },
  entryStuck: {
    en: 'spool entry {file}: {why}; it could not be moved to {dir} either ({code}): skipped, the other batches are still sent',
    vi: 'mục {file} trong hàng đợi: {why}; cũng không chuyển được sang {dir} ({code}): bỏ qua, các lô khác vẫn được gửi',
  },
  kindSymlink: { en: 'a symbolic link', vi: 'một liên kết tượng trưng' },
  kindDirectory: { en: 'a folder', vi: 'một thư mục' },
  kindFifo: { en: 'a named pipe', vi: 'một đường ống có tên' },
  kindSocket: { en: 'a socket', vi: 'một socket' },
  kindDevice: { en: 'a device', vi: 'một thiết bị' },
  kindOther: { en: 'not a regular file', vi: 'không phải tệp thông thường' },
  whyUnreadable: { en: 'cannot be read ({code})', vi: 'không đọc được ({code})' },
  // Why an attempt did not count as delivered: the reason in uploadRetry and drainStopped.
  reasonStatus: { en: 'HTTP {status}', vi: 'HTTP {status}' },
  reasonNoAck: {
    en: "HTTP {status} ({type}) without an acknowledgement naming this batch: not the govscan server's answer (a maintenance or sign-in page in front of it?)",
    vi: 'HTTP {status} ({type}) nhưng không có xác nhận nêu mã lô này: không phải câu trả lời của máy chủ govscan (trang bảo trì hoặc trang đăng nhập đứng trước máy chủ?)',
  },
  reasonOtherBatch: {
    en: 'HTTP {status} acknowledging batch {other}, not this one',
    vi: 'HTTP {status} xác nhận lô {other}, không phải lô này',
  },
  reasonNotFound: {
    en: 'HTTP 404 ({type}): no govscan API at this address (a proxy not routing /api/v1 yet?)',
    vi: 'HTTP 404 ({type}): địa chỉ này chưa có API của govscan (máy chủ trung gian chưa chuyển tiếp /api/v1?)',
  },
  reasonNotServerRefusal: {
    en: "HTTP {status} ({type}), not the govscan server's own refusal (which is JSON): a proxy or firewall in between?",
    vi: 'HTTP {status} ({type}), không phải lời từ chối của máy chủ govscan (vốn ở dạng JSON): có máy chủ trung gian hoặc tường lửa ở giữa?',
  },
  reasonTimeout: { en: 'no answer within {ms} ms', vi: 'không có trả lời trong {ms} ms' },
  reasonNetwork: { en: '{detail}', vi: 'lỗi kết nối: {detail}' },
  noContentType: { en: 'no content type', vi: 'không rõ kiểu nội dung' },
  tokenFileOpen: {
    en: '{file} is open to other users on this host (mode {mode}): whoever reads it can send batches as this agent; run `chmod 600 {file}`',
    vi: '{file} để ngỏ cho người dùng khác trên máy này (quyền {mode}): ai đọc được tệp này có thể gửi lô dưới danh nghĩa tác tử này; hãy chạy `chmod 600 {file}`',
  },
  plainHttp: {
    en: "server {url} is reached over plain http://: the enrolment secret, the agent's token and the agency's findings cross the network unencrypted; use https:// (plain http is fine only to this machine itself, 127.0.0.1 or ::1, e.g. in a lab)",
    vi: 'máy chủ {url} được kết nối qua http:// không mã hóa: mã đăng ký, token của tác tử và kết quả của cơ quan đi qua mạng ở dạng rõ; hãy dùng https:// (http:// chỉ chấp nhận được khi kết nối tới chính máy này, 127.0.0.1 hoặc ::1, ví dụ trong môi trường thử nghiệm)',
  },
  uploadRetry: {
    en: 'batch {batchId}: attempt {attempt} of {max} failed ({reason}); retrying in {delay} s',
    vi: 'lô {batchId}: lần thử {attempt}/{max} thất bại ({reason}); thử lại sau {delay} giây',
  },
  drainStopped: {
    en: 'server unavailable ({reason}): {remaining} batch(es) stay in the spool',
    vi: 'máy chủ không sẵn sàng ({reason}): {remaining} lô vẫn nằm trong hàng đợi',
  },
  tokenRefused: {
    en: "the server refused this agent's token ({status}): enrol again; {remaining} batch(es) stay in the spool",
    vi: 'máy chủ từ chối token của tác tử ({status}): hãy đăng ký lại; {remaining} lô vẫn nằm trong hàng đợi',
  },
  loopStarted: {
    en: 'started: a run every {interval} s (plus up to {jitter} s), spool {dir}',
    vi: 'đã khởi động: chạy mỗi {interval} giây (cộng thêm tối đa {jitter} giây), hàng đợi {dir}',
  },
  nextRun: { en: 'next run in {seconds} s', vi: 'lần chạy tiếp theo sau {seconds} giây' },
  stopping: {
    en: 'stopping ({signal}): spooled batches stay for the next start',
    vi: 'đang dừng ({signal}): các lô trong hàng đợi được giữ cho lần khởi động sau',
  },
});
