// Vietnamese texts of `govscan --help`: the English ones live on the command classes (oclif reads
// them from there, or from oclif.manifest.json), these are keyed by command id, flag and argument
// name so the command files stay as they are. test/i18n/help-catalogue.test.ts fails when a command,
// flag, argument or topic has no Vietnamese text here, or when an entry names one that is gone.
// Only the help class (src/cli/help.ts) imports this file, and oclif loads that only to show help.
// The check families' own flags carry their Vietnamese text with them (checks/*/index.ts).

import { FAMILY_OPTIONS } from '../engine/registry.js';
import { familyFlagsVi } from './family-flags.js';

/** Texts of one command or flag, mirroring the English fields it has (summary and/or description). */
export interface TextsVi {
  summary?: string;
  description?: string;
}

export interface CommandHelpVi extends TextsVi {
  /** Argument name → description. */
  args?: Record<string, string>;
  /** Flag name → description, or both texts for a flag that has a summary as well. */
  flags: Record<string, string | TextsVi>;
}

/** oclif's own section headings (it passes the English ones to `section()`). */
export const HEADINGS_VI: Record<string, string> = {
  USAGE: 'CÁCH DÙNG',
  ARGUMENTS: 'ĐỐI SỐ',
  FLAGS: 'THAM SỐ',
  DESCRIPTION: 'MÔ TẢ',
  ALIASES: 'TÊN GỌI KHÁC',
  EXAMPLES: 'VÍ DỤ',
  'FLAG DESCRIPTIONS': 'MÔ TẢ THAM SỐ',
  COMMANDS: 'LỆNH',
  TOPICS: 'NHÓM LỆNH',
  VERSION: 'PHIÊN BẢN',
};

/** Flag groups (oclif heads them `<GROUP> FLAGS`); GLOBAL is the one oclif itself uses. */
export const FLAG_GROUPS_VI: Record<string, string> = {
  GLOBAL: 'CHUNG',
};

/** The words oclif puts around a flag's text: [default: x, env: Y], (required), <options: a|b>. */
export const FLAG_META_VI = {
  default: 'mặc định',
  env: 'biến môi trường',
  required: 'bắt buộc',
  options: 'lựa chọn',
  /** oclif's placeholders for a flag's value: `--token=<value>`, `--lang=<option>`. */
  value: 'giá trị',
  option: 'lựa chọn',
} as const;

/** package.json "description", the first line of `govscan --help`. */
export const ROOT_VI =
  'Công cụ quét tuân thủ an toàn thông tin cho hệ thống thông tin của cơ quan nhà nước Việt Nam: TLS, chứng thư số, IPv6, bằng chứng bảo đảm an toàn theo cấp độ, đánh giá theo các bộ quy tắc có căn cứ pháp lý, báo cáo dạng SARIF.';

/**
 * package.json "oclif.topics". A topic not declared there (evidence, server enrollment, ...) takes,
 * as in oclif, the summary of its first command, so its Vietnamese text comes from that command.
 */
export const TOPICS_VI: Record<string, string> = {
  checks: 'Các nhóm kiểm tra và dữ liệu chúng thu thập',
  policy: 'Bộ quy tắc: liệt kê, xem, kiểm tra tính hợp lệ',
  report: 'Làm việc với báo cáo đã lưu: chuyển sang định dạng khác, gộp, so sánh',
  server: 'Máy chủ SOC: nhận các lô kết quả từ tác tử, lưu lịch sử, cung cấp API và bảng điều khiển',
  fleet: 'Các cơ quan và tác tử mà máy chủ govscan thu thập: trạng thái, phát hiện, xuất dữ liệu',
  evidence: 'Hồ sơ bằng chứng bảo đảm an toàn theo cấp độ: tạo tệp khai báo, kiểm tra tệp khai báo',
  campaign: 'Chiến dịch quét trên máy chủ govscan: tạo, liệt kê, xem, hủy (worker: govscan worker)',
};

// Flag texts several commands share word for word in English.
const LANG = 'Ngôn ngữ của thông báo và báo cáo (en, vi); GOVSCAN_LANG đặt giá trị mặc định';
const COLOR = 'Tô màu kết quả trên màn hình (--no-color: chữ không màu); biến FORCE_COLOR và NO_COLOR cũng được đọc';
const FORMAT = 'Định dạng báo cáo';
const WRITE_TO = 'Ghi vào tệp FILE thay vì stdout';
const WRITE_REPORT_TO = 'Ghi báo cáo vào tệp FILE thay vì stdout';
const SARIF_DIR =
  'Ghi thêm SARIF cho GitHub code scanning vào thư mục DIR: mỗi hạng mục một tệp, bỏ các kết quả được miễn trừ (trỏ upload-sarif tới DIR)';
const FAIL_ON = 'Thoát với mã 1 khi có phát hiện không đạt ở mức độ này trở lên';
const CA_PIN = 'Dấu vân tay SHA-256 mà mọi chứng thư gốc tin cậy trong --ca-file phải khớp';
const JSON_OUT = 'In ra JSON';
const DB = 'Cơ sở dữ liệu: sqlite:PATH (nhúng sẵn, mặc định) hoặc postgres://USER:PASS@HOST:PORT/DB';
const SERVER_URL = 'URL của máy chủ govscan';
const TOKEN = 'Token viewer hoặc admin';
const SERVER_CA = 'Chứng thư số CA (PEM) đã cấp chứng thư số của máy chủ, khi máy chủ dùng CA riêng';
const ON_DB = 'Làm việc trực tiếp trên cơ sở dữ liệu (--db), nên có thể chạy song song với máy chủ đang hoạt động.';
const FLEET_EXIT = 'Mã thoát: 0 đã hiển thị; 2 tham số không hợp lệ; 3 không kết nối được máy chủ hoặc máy chủ từ chối token.';
const FLEET_FLAGS = { server: SERVER_URL, token: TOKEN, 'ca-file': SERVER_CA, json: JSON_OUT, lang: LANG };
const CAMPAIGN_FLAGS = {
  ...FLEET_FLAGS,
  'token-file': 'Tệp chứa token soc hoặc admin (token viewer chỉ liệt kê và xem được)',
  token: 'Chính token đó (--token-file giúp token không hiện trong `ps` và lịch sử lệnh của shell)',
};
const FILTERS_VI = {
  severity:
    'Chỉ báo cáo các phát hiện có mức độ nghiêm trọng này (phân cách bằng dấu phẩy hoặc lặp lại); các phát hiện khác bị loại khỏi mọi báo cáo và không thể làm lần quét thất bại (như --severity của Trivy)',
  rule: 'Chỉ đánh giá các quy tắc có mã khớp mẫu GLOB (* và ?; lặp lại được; như --check của Checkov)',
  'skip-rule': 'Không đánh giá các quy tắc có mã khớp mẫu GLOB (lặp lại được; được ưu tiên hơn --rule; như --skip-check của Checkov)',
};

export const COMMANDS_VI: Record<string, CommandHelpVi> = {
  scan: {
    summary: 'Quét các điểm cuối TLS và danh mục hệ thống, đánh giá theo các bộ quy tắc',
    description:
      'Thăm dò từng đối tượng quét (URL https://, smtp:// hoặc smtps://, host:port, tên miền, hoặc các điểm cuối trong --inventory, --targets-file hay báo cáo --from-nmap), thu thập dữ liệu, đánh giá theo các bộ quy tắc và lập báo cáo.\n\n' +
      'Các phát hiện được miễn trừ (--waivers) và các phát hiện đã có trong báo cáo trước (--baseline) vẫn được hiển thị nhưng không tính vào --fail-on. GOVSCAN_NOW=YYYY-MM-DD[THH:MM:SSZ] thực hiện quét như tại thời điểm đó (ví dụ để xem miễn trừ nào sẽ hết hạn).\n\n' +
      'Mã thoát: 0 không có phát hiện nào từ mức --fail-on trở lên; 1 có phát hiện từ mức đó trở lên (hoặc, khi có --fail-on-not-tested, có quy tắc chưa kiểm tra được); 2 cách dùng hoặc dữ liệu đầu vào không hợp lệ; 3 không thể thực hiện quét (không phân giải hoặc không kết nối được đối tượng quét nào); 130 bị dừng (Ctrl-C: báo cáo vẫn được ghi).',
    args: { targets: 'URL https://, smtp:// hoặc smtps://, host:port, hoặc tên miền (lặp lại được)' },
    flags: {
      inventory: 'Danh mục hệ thống của cơ quan (YAML)',
      'targets-file': 'Danh sách đối tượng quét, mỗi dòng một đối tượng quét (như các đối số; cho phép chú thích # và dòng trống)',
      'from-nmap': 'Báo cáo XML của nmap (nmap -sV -oX FILE): mọi cổng mở chạy dịch vụ TLS đều trở thành đối tượng quét',
      policy: 'Mã bộ quy tắc dựng sẵn hoặc tệp bộ quy tắc (lặp lại được; mặc định: mọi bộ dựng sẵn)',
      format: FORMAT,
      'sarif-dir': SARIF_DIR,
      output: WRITE_REPORT_TO,
      'fail-on': FAIL_ON,
      'fail-on-not-tested':
        'Cũng thoát với mã 1 khi có quy tắc áp dụng nhưng chưa kiểm tra được (đối tượng quét không phân giải hoặc không kết nối được, phép thăm dò gặp lỗi, thiếu công cụ)',
      concurrency: 'Số đối tượng quét được thăm dò đồng thời',
      'per-host': 'Số kết nối đồng thời tới một địa chỉ',
      timeout: 'Thời gian chờ của mỗi kết nối, tính bằng ms',
      'target-timeout': 'Thời hạn cho mọi phép thăm dò của một đối tượng quét, tính bằng ms (mặc định: 4 × --timeout)',
      resolve:
        'HOST:PORT:ADDRESS — kết nối tới ADDRESS, vẫn giữ SNI/Host = HOST (như curl); HOST hoặc PORT là * để áp dụng cho mọi tên hoặc mọi cổng',
      'ca-file': 'Chứng thư gốc tin cậy bổ sung (PEM), được đánh giá tách biệt với kho chứng thư số công cộng',
      'ca-pin': CA_PIN,
      waivers: 'Tệp YAML danh sách miễn trừ: các ngoại lệ đã được chấp thuận, kèm lý do, người phê duyệt và thời hạn',
      baseline:
        'Báo cáo govscan JSON hoặc SARIF trước đó (báo cáo mốc (baseline)): chỉ các phát hiện không có trong đó mới tính vào --fail-on',
      'dns-server':
        'Máy chủ DNS để truy vấn, IP[:PORT], IPv6 đặt trong ngoặc vuông ([::1]:5353); lặp lại được. Chỉ truy vấn các máy chủ này (mặc định: máy chủ phân giải của hệ điều hành)',
      ...familyFlagsVi(FAMILY_OPTIONS),
      'legal-basis':
        'Căn cứ pháp lý về cấp độ cho mọi hệ thống (mặc định, theo từng hệ thống: legalBasis trong danh mục, nếu không có thì trong tệp khai báo, nếu không nữa thì theo ngày phê duyệt; được in ra)',
      param: 'Đặt một tham số của bộ quy tắc, ghi PACK:NAME=VALUE khi nhiều bộ cùng có NAME (lặp lại được; xem policy show)',
      color: COLOR,
      lang: LANG,
      quiet: 'Không hiển thị tiến trình',
      ...FILTERS_VI,
      report:
        'Ghi báo cáo theo định dạng FORMAT (table, json, sarif, junit, html, markdown, codequality) vào tệp FILE, hoặc ra stdout khi không có =FILE; lặp lại được: nhiều định dạng từ một lần quét. Khi có --report, --format/--output chỉ thêm một báo cáo khi được chỉ định',
      config:
        'Tệp cấu hình, mỗi khóa ứng với một tham số (mặc định: ./govscan.yaml nếu có). Tham số trên dòng lệnh được ưu tiên hơn GOVSCAN_<THAM_SỐ>, biến môi trường được ưu tiên hơn tệp cấu hình',
    },
  },
  demo: {
    summary: 'Quét một cụm điểm cuối TLS cục bộ dựng sẵn (không cần mạng) để xem govscan báo cáo những gì',
    description:
      'Khởi động các máy chủ TLS trên 127.0.0.1 với chứng thư số được sinh ra — có loại đạt yêu cầu và có loại mắc các lỗi điển hình — rồi quét chúng bằng đúng quy trình thật. Không có dữ liệu nào rời khỏi máy này. CA gốc thử nghiệm của cụm đóng vai một CA được tin cậy công khai, còn "CA gốc quốc gia" của cụm đóng vai CA gốc quốc gia Việt Nam được chỉ định bằng --ca-file.',
    flags: {
      format: FORMAT,
      color: COLOR,
      lang: LANG,
      quiet: 'Không hiển thị tiến trình',
      agency:
        'Thay vào đó, quét cơ quan ví dụ (examples/agency/inventory.yaml) cùng các máy chủ mà cơ quan này nêu, khởi động trên 127.0.0.1: cổng thông tin (8443), máy thu thập nhật ký (6514) và điểm kết nối NCSC (6515); tính đến ngày 02/12/2026 trừ khi GOVSCAN_NOW nêu ngày khác',
    },
  },
  // From @oclif/plugin-autocomplete (its English texts are in its manifest).
  autocomplete: {
    description: 'Hiển thị hướng dẫn cài đặt tính năng tự hoàn thành lệnh (bash, zsh, powershell).',
    args: { shell: 'Loại trình thông dịch lệnh: bash, zsh hoặc powershell' },
    flags: { 'refresh-cache': 'Làm mới bộ nhớ đệm tự hoàn thành (không hiển thị hướng dẫn)' },
  },
  'autocomplete:create': { description: 'Tạo các tệp cài đặt và hàm tự hoàn thành cho trình thông dịch lệnh', flags: {} },
  'autocomplete:script': {
    description: 'In ra đoạn cấu hình tự hoàn thành cho trình thông dịch lệnh',
    args: { shell: 'Loại trình thông dịch lệnh: bash, zsh hoặc powershell' },
    flags: {},
  },
  'checks:list': {
    summary: 'Liệt kê các nhóm kiểm tra, nội dung chúng thăm dò và loại đối tượng quét được áp dụng',
    flags: { json: 'In ra JSON, kèm lược đồ dữ liệu của từng phép kiểm tra', lang: LANG },
  },
  'evidence:init': {
    summary: 'Tạo tệp khai báo bằng chứng có chú thích, liệt kê những gì một cấp độ an toàn cần',
    description:
      'Ghi tệp <system>.evidence.yaml (hoặc --output) có chú thích bằng tiếng Việt và tiếng Anh: hồ sơ cấp độ an toàn (Nghị định 85/2016 hoặc Nghị định 331/2026) và bằng chứng theo mô hình bảo vệ 4 lớp (Chỉ thị 14/CT-TTg) mà cấp độ đó cần. Không bao giờ ghi đè tệp đã có. Nếu không có --legal-basis, dùng căn cứ pháp lý đang có hiệu lực hôm nay.',
    flags: {
      system: 'Mã hệ thống (như trong danh mục hệ thống)',
      level: 'Cấp độ an toàn, từ 1 đến 5',
      'legal-basis': 'Căn cứ pháp lý (mặc định: căn cứ đang có hiệu lực hôm nay)',
      output: 'Tệp sẽ ghi (mặc định: ./<system>.evidence.yaml)',
      lang: LANG,
    },
  },
  'cert:verify': {
    summary:
      'Kiểm tra ngoại tuyến một tệp chuỗi chứng thư số: đường dẫn đến chứng thư gốc tin cậy, thời hạn hiệu lực, tên miền, như trình duyệt đánh giá',
    description:
      'Dựng và kiểm tra đường dẫn từ chứng thư đầu tiên của tệp FILE đầu tiên (chứng thư máy chủ), qua các chứng thư còn lại (thứ tự bất kỳ), đến một chứng thư gốc tin cậy — kho công cộng mà govscan dùng, hoặc --ca-file — bằng cùng mã nguồn với phép kiểm tra TLS khi quét (RFC 5280, quy định của Diễn đàn CA/Browser, ràng buộc tên, đối chiếu tên theo RFC 9525). FILE: PEM (một hoặc nhiều khối CERTIFICATE), DER hoặc gói PKCS#7. Không tải gì từ mạng.\n\n' +
      'Mã thoát: 0 hợp lệ (được tin cậy, hợp lệ cho --name nếu có, mọi chứng thư còn thời hạn tại --at); 1 không hợp lệ; 2 đầu vào sai (tệp: lỗi gì) hoặc sai cách dùng.',
    args: { files: 'Các tệp chứng thư số (PEM, DER hoặc PKCS#7), chứng thư máy chủ trước' },
    flags: {
      'ca-file': 'Chứng thư gốc tin cậy (PEM) dùng thay cho kho công cộng',
      name: 'Tên miền hoặc địa chỉ IP mà chứng thư phải hợp lệ',
      at: 'Đánh giá tại ngày hoặc thời điểm ISO-8601 này thay vì hiện tại (ví dụ 2026-07-01)',
      format: 'Định dạng đầu ra',
      lang: LANG,
    },
  },
  'evidence:verify': {
    summary: 'Kiểm tra một tệp khai báo bằng chứng: hồ sơ cấp độ an toàn, tài liệu và chữ ký số, bằng chứng 4 lớp',
    description:
      'Chạy riêng trên tệp FILE các phép kiểm tra mà scan --inventory chạy cho một hệ thống có khai báo evidence:, rồi báo cáo những gì còn thiếu, quá hạn, bị sửa đổi hoặc chưa ký. Tài liệu chỉ được đọc trong thư mục chứa FILE. Chữ ký số được xác minh theo các chứng thư gốc tin cậy trong --ca-file (CA gốc của Ban Cơ yếu Chính phủ và CA gốc quốc gia không có trong các kho chứng thư số công cộng). GOVSCAN_NOW=YYYY-MM-DD đánh giá các mốc thời gian như tại ngày đó.\n\n' +
      'Mã thoát: 0 không có phát hiện nào từ mức --fail-on trở lên; 1 có phát hiện từ mức đó trở lên; 2 tệp khai báo không hợp lệ (file:line) hoặc sai cách dùng.',
    args: { file: 'Tệp khai báo bằng chứng (YAML)' },
    flags: {
      'legal-basis': 'Căn cứ pháp lý (mặc định: legalBasis trong tệp khai báo, nếu không có thì theo ngày phê duyệt)',
      param: 'Đặt một tham số của bộ quy tắc, ghi PACK:NAME=VALUE khi cần (lặp lại được)',
      policy: 'Mã bộ quy tắc dựng sẵn hoặc tệp bộ quy tắc (mặc định: các bộ dựng sẵn có quy tắc về bằng chứng)',
      'ca-file': 'Chứng thư gốc tin cậy (PEM) để xác minh chữ ký số trên tài liệu',
      'ca-pin': CA_PIN,
      format: FORMAT,
      output: WRITE_REPORT_TO,
      'fail-on': FAIL_ON,
      timeout: 'Thời gian chờ của mỗi kết nối, tính bằng ms (tới máy chủ thu thập nhật ký / điểm kết nối NCSC)',
      color: COLOR,
      lang: LANG,
      quiet: 'Không in thông báo ra stderr',
    },
  },
  'policy:list': {
    summary: 'Liệt kê các bộ quy tắc có sẵn cùng căn cứ pháp lý, thời gian hiệu lực và tình trạng',
    description:
      'Mọi bộ quy tắc có sẵn, gồm cả hai căn cứ pháp lý về cấp độ (vn-nd85-2016, vn-nd331-2026), kèm thời gian hiệu lực và tình trạng hôm nay: đang có hiệu lực, trong thời gian chuyển tiếp (đã được thay thế nhưng vẫn dùng để đánh giá các hệ thống được phê duyệt theo căn cứ đó), đã hết hiệu lực, hoặc chưa có hiệu lực. GOVSCAN_NOW=YYYY-MM-DD cho biết tình trạng tính đến ngày đó.',
    flags: { json: JSON_OUT, lang: LANG },
  },
  'policy:show': {
    summary: 'Hiển thị các quy tắc và tham số của một bộ quy tắc (mã bộ có sẵn hoặc tệp), hoặc phần tra cứu của một quy tắc',
    args: { policy: 'Mã bộ quy tắc dựng sẵn, tệp bộ quy tắc, hoặc mã quy tắc (ví dụ TLS-CERT-EXPIRED)' },
    flags: { json: JSON_OUT, lang: LANG },
  },
  'policy:validate': {
    summary: 'Kiểm tra tính hợp lệ của tệp bộ quy tắc: lược đồ, biểu thức CEL, mã phép kiểm tra, mã quy tắc trùng lặp',
    args: { files: 'Các tệp bộ quy tắc (một hoặc nhiều)' },
    flags: { lang: LANG },
  },
  'report:diff': {
    summary: 'So sánh hai báo cáo: phát hiện mới, đã khắc phục và không thay đổi',
    description:
      'OLD và NEW là báo cáo JSON hoặc tệp SARIF của govscan (kết hợp tùy ý). Các phát hiện được đối chiếu theo mã quy tắc và dấu vân tay của đối tượng quét, giống cách --baseline đối chiếu, không bao giờ theo nội dung thông báo.\n\n' +
      'Luôn thoát với mã 0 khi đọc được cả hai báo cáo (mã 2 khi không đọc được một trong hai): để chặn CI khi có phát hiện mới, dùng scan --baseline.',
    args: { old: 'Báo cáo trước (JSON hoặc SARIF)', new: 'Báo cáo sau (JSON hoặc SARIF)' },
    flags: { json: 'In kết quả so sánh dưới dạng JSON', lang: LANG },
  },
  'report:convert': {
    summary:
      'Chuyển báo cáo JSON sang SARIF, JUnit, HTML, bảng, bản tóm tắt Markdown cho CI, báo cáo Code Quality của GitLab hoặc JSON (chuẩn hóa) mà không cần quét lại',
    description:
      '--to markdown ghi bản tóm tắt cho tác vụ CI (kết luận theo ngưỡng --fail-on của lần quét, số phát hiện không đạt theo mức độ, các phát hiện nghiêm trọng nhất): nối vào $GITHUB_STEP_SUMMARY. Trong GitHub Actions (có GITHUB_SERVER_URL và GITHUB_REPOSITORY) bản tóm tắt có đường dẫn tới các cảnh báo code scanning của kho mã. --to codequality ghi báo cáo Code Quality của GitLab (artifacts:reports:codequality): các phát hiện không đạt và chưa kiểm tra được, gắn với dòng khai báo trong danh mục hoặc danh sách đối tượng quét.',
    args: { input: 'Báo cáo JSON do `govscan scan --format json` ghi ra' },
    flags: {
      to: 'Định dạng đầu ra',
      output: WRITE_TO,
      'sarif-dir': SARIF_DIR,
      'exclude-waived': 'sarif: bỏ các kết quả được miễn trừ (như khi tải lên GitHub) thay vì ghi chúng dưới dạng suppression',
      lang: LANG,
    },
  },
  'report:merge': {
    summary:
      'Gộp các báo cáo JSON (các phần của một lần quét, hoặc các lần quét từ nhiều mạng) thành một; đối tượng quét có trong nhiều báo cáo lấy kết quả mới nhất',
    args: { reports: 'Các báo cáo JSON (hai hoặc nhiều hơn)' },
    flags: { output: WRITE_TO, to: 'Định dạng đầu ra', 'sarif-dir': SARIF_DIR, lang: LANG },
  },
  server: {
    summary:
      'Chạy máy chủ SOC: nhận các lô kết quả từ tác tử, lưu lịch sử, cung cấp API, dữ liệu xuất, số liệu giám sát (metrics) và bảng điều khiển',
    description:
      'Cập nhật lược đồ cơ sở dữ liệu, sau đó lắng nghe cho tới khi nhận SIGTERM hoặc SIGINT (các yêu cầu đang xử lý được hoàn tất trước). Khi sẵn sàng, in một dòng (bằng tiếng Anh) ra stderr: "govscan server listening on URL (db DIALECT)".\n\n' +
      'API tại /api/v1 (bearer token): `enroll`, `batches`, `overview`, `agencies`, `agents`, `systems`, `findings`, `history`, `trend`, `certificates`, `ipv6`, `export/{agency}.sarif|.json`; quản trị: `enrollments`, `tokens`; chiến dịch quét `campaigns` (token admin và soc tạo và hủy, token viewer xem) và `worker/jobs` (token worker, dành cho `govscan worker`). Ngoài ra có /healthz, /metrics và bảng điều khiển tại /.\n\n' +
      'Chiến dịch quét: mỗi lượt chạy tạo một việc cho mỗi đối tượng quét, giao cho tiến trình quét kèm thời hạn giữ việc (--campaign-lease); việc thất bại được thử lại sau thời gian chờ tăng dần (--campaign-retry-delay) cho tới --campaign-attempts lần, sau đó được giữ ở trạng thái hỏng kèm lý do; mỗi địa chỉ chỉ có tối đa --campaign-per-address việc chạy cùng lúc. Với PostgreSQL, hàng đợi là pg-boss trong cùng cơ sở dữ liệu (schema pgboss) và có thể chạy bao nhiêu tiến trình `govscan worker` cũng được; với SQLite, máy chủ tự quét (--campaign-pool). Việc, tiến độ và lịch chạy là các dòng trong cơ sở dữ liệu: máy chủ khởi động lại sẽ tiếp tục từ chỗ đã dừng.\n\n' +
      'Giới hạn cho mỗi bên gửi, tính theo phút: số lô kết quả của mỗi token tác tử, số lần đăng ký và số lần xác thực thất bại của mỗi địa chỉ (--ingest-limit, --enroll-limit, --auth-failure-limit; vượt quá thì trả về 429 kèm Retry-After). Nội dung yêu cầu tối đa --body-limit byte, lồng nhau tối đa 32 cấp, mỗi đối tượng tối đa 1.000 khóa, mỗi mảng tối đa 100.000 phần tử, mỗi chuỗi tối đa 256 KiB, bằng chứng của một phát hiện tối đa 64 KiB và dữ kiện của một lần kiểm tra tối đa 1 MiB (vượt quá thì trả về 400 hoặc 413).\n\n' +
      'Mọi tham số đều có thể đặt bằng biến môi trường GOVSCAN_<THAM_SỐ> (GOVSCAN_LISTEN, GOVSCAN_RETAIN_DAYS, …), ví dụ trong tệp EnvironmentFile của systemd; tham số ghi trên dòng lệnh được ưu tiên hơn biến môi trường.\n\n' +
      'Mã thoát: 0 dừng bởi tín hiệu; 2 tham số không hợp lệ, không đọc được tệp TLS, không mở được cơ sở dữ liệu, hoặc không lắng nghe được trên địa chỉ đã cho.',
    flags: {
      db: DB,
      listen: 'Địa chỉ lắng nghe ([::1]:8080 cho IPv6; cổng 0 để tự chọn một cổng trống)',
      'tls-cert': 'Phục vụ HTTPS bằng chuỗi chứng thư số này (PEM); cần kèm --tls-key',
      'tls-key': 'Khóa bí mật (PEM) của --tls-cert',
      'body-limit': 'Kích thước tối đa của nội dung yêu cầu được chấp nhận (lớn hơn thì trả về 413)',
      'stale-after': 'Tác tử bị coi là mất liên lạc sau N chu kỳ của nó mà không gửi lô kết quả nào',
      'metrics-public': 'Phục vụ /metrics không cần token (cho hệ thống thu thập số liệu trong mạng tin cậy)',
      'ingest-limit':
        'Số lô kết quả tối đa mỗi phút một token tác tử được gửi (vượt quá thì trả về 429 kèm Retry-After; 0: không giới hạn)',
      'enroll-limit': 'Số lần đăng ký tối đa mỗi phút từ một địa chỉ (0: không giới hạn)',
      'auth-failure-limit':
        'Số lần xác thực thất bại (token hoặc mã đăng ký sai) tối đa mỗi phút từ một địa chỉ trước khi địa chỉ đó phải chờ (0: không giới hạn)',
      'retain-days':
        'Xóa các báo cáo cũ hơn N ngày, khi khởi động và sau mỗi giờ; báo cáo mới nhất của mỗi tác tử và báo cáo mới nhất của mỗi đối tượng quét luôn được giữ lại dù cũ đến đâu (mặc định: giữ tất cả)',
      'access-log':
        'Ghi nhật ký mỗi yêu cầu thành một dòng JSON ra stderr: phương thức, tuyến, mã trạng thái, thời gian xử lý và tên của token được xuất trình (không bao giờ ghi chính token)',
      'campaign-lease':
        'Việc của chiến dịch quét bị giữ quá N giây mà không có kết quả, báo lỗi hoặc tín hiệu còn hoạt động (heartbeat) sẽ trở lại hàng đợi (tiến trình quét đã ngừng); với PostgreSQL, heartbeat gia hạn thời gian giữ khi giá trị từ 10 giây trở lên (mặc định 300)',
      'campaign-attempts':
        'Số lần thực hiện tối đa của một việc trước khi bị coi là hỏng, giữ kèm lý do của lần thất bại cuối cùng (mặc định 3)',
      'campaign-retry-delay':
        'Số giây chờ trước khi thử lại một việc thất bại, gấp đôi sau mỗi lần tiếp theo, tối đa 30 phút (mặc định 30)',
      'campaign-per-address': 'Số việc của cùng một địa chỉ đích được quét cùng lúc, tính chung cho mọi tiến trình quét (mặc định 4)',
      'campaign-pool':
        'Số việc máy chủ tự quét cùng lúc (mặc định: 4 với SQLite, để một máy không cần `govscan worker`; 0 với PostgreSQL, khi các tiến trình `govscan worker` đảm nhận việc quét)',
      lang: LANG,
    },
  },
  'server:backup': {
    summary: 'Sao lưu cơ sở dữ liệu SQLite của máy chủ vào tệp FILE trong khi máy chủ vẫn chạy (với PostgreSQL: in ra lệnh pg_dump)',
    description:
      'Sao chép cơ sở dữ liệu bằng cơ chế sao lưu trực tuyến của SQLite: máy chủ vẫn nhận các lô kết quả trong lúc sao lưu và bản sao nhất quán. Tệp FILE chỉ xuất hiện khi đã ghi xong (ghi bên cạnh rồi đổi tên), chỉ chủ sở hữu đọc được (tệp chứa giá trị băm của các token); tệp FILE đã có chỉ bị ghi đè khi có --force.\n\n' +
      'Khôi phục: dừng máy chủ, đặt bản sao lưu thay cho tệp cơ sở dữ liệu (hoặc trỏ --db tới bản sao lưu), khởi động máy chủ.\n\n' +
      'PostgreSQL được sao lưu bằng công cụ của chính PostgreSQL, cũng trong khi máy chủ vẫn chạy: lệnh in ra dòng pg_dump cho --db và thoát với mã 2 mà không kết nối (khôi phục bằng pg_restore --clean --if-exists --dbname=URL FILE).\n\n' +
      'Mã thoát: 0 đã ghi bản sao lưu; 2 tệp FILE đã tồn tại (khi không có --force) hoặc không ghi được, --db không phải cơ sở dữ liệu SQLite của govscan, hoặc --db là PostgreSQL.',
    args: { file: 'Tệp sẽ ghi bản sao lưu' },
    flags: { db: DB, force: 'Ghi đè tệp FILE nếu đã tồn tại', lang: LANG },
  },
  'server:enrollment:create': {
    summary: 'Tạo mã đăng ký dùng một lần cho một cơ quan (tạo cơ quan nếu chưa có)',
    description:
      'Chỉ in mã đăng ký ra stdout (hoặc JSON {agency, secret, expiresAt} khi có --json). Hãy trao mã này cho quản trị viên của cơ quan: lệnh `govscan-agent enroll --server URL --secret SECRET` sẽ dùng mã và lưu token riêng của tác tử.\n\n' +
      ON_DB,
    flags: {
      agency: 'Mã cơ quan (chữ cái, chữ số, . _ -; tối đa 64 ký tự)',
      name: 'Tên cơ quan hiển thị trên bảng điều khiển, khi cơ quan mới được tạo (mặc định: mã cơ quan)',
      ttl: 'Số giờ trước khi mã đăng ký hết hạn nếu chưa được dùng',
      db: DB,
      json: 'In ra JSON {agency, secret, expiresAt}',
      lang: LANG,
    },
  },
  'server:token:create': {
    summary: 'Tạo token viewer, admin, soc hoặc worker cho API, bảng điều khiển, `govscan fleet`, `campaign` và `worker`',
    description:
      'Chỉ in token ra stdout (hoặc JSON {id, role, token, name, agency} khi có --json); máy chủ chỉ lưu giá trị băm của token nên không thể hiển thị lại. Viewer được đọc mọi dữ liệu, hoặc khi có --agency thì chỉ dữ liệu của cơ quan đó (mọi tuyến đọc trả về 404 cho dữ liệu của cơ quan khác); admin còn được tạo mã đăng ký và token qua API. Token soc tạo, xem và hủy chiến dịch quét (khi có --agency: chỉ cho cơ quan đó); token worker dành cho các tiến trình `govscan worker`: nhận việc của chiến dịch quét và gửi lại kết quả, không đọc được dữ liệu nào.\n\n' +
      ON_DB,
    flags: {
      role: 'viewer (chỉ đọc), admin (đọc và quản trị), soc (chiến dịch quét) hoặc worker (thực hiện việc của chiến dịch quét)',
      name: 'Token cấp cho ai (hiển thị trong `server token list`)',
      agency:
        'Giới hạn token viewer hoặc soc trong cơ quan này: token chỉ đọc được dữ liệu (chỉ chạy chiến dịch quét) của cơ quan đó (dành cho bộ phận CNTT của chính cơ quan)',
      db: DB,
      json: 'In ra JSON {id, role, token, name, agency}',
      lang: LANG,
    },
  },
  'server:token:list': {
    summary: 'Liệt kê các token API (viewer, admin và tác tử): mã, vai trò, tên — không bao giờ hiển thị giá trị bí mật',
    description:
      'Hiển thị thông tin mà `server token revoke ID` cần. Làm việc trực tiếp trên cơ sở dữ liệu (--db), song song với máy chủ đang hoạt động.',
    flags: { db: DB, json: 'In ra một mảng JSON', lang: LANG },
  },
  'server:token:revoke': {
    summary: 'Thu hồi một token API (của viewer, admin hoặc tác tử) theo mã',
    description:
      'Token mất hiệu lực ngay với tiến trình máy chủ khởi động sau đó và trong vòng 30 giây với máy chủ đang chạy (máy chủ ghi nhớ token đã xác minh trong khoảng thời gian đó). Thu hồi token của tác tử vẫn giữ lịch sử của tác tử; tác tử phải đăng ký lại bằng mã đăng ký mới. Làm việc trực tiếp trên cơ sở dữ liệu (--db).',
    args: { id: 'Mã token (xem `server token list`; phần nằm giữa gs?_ và dấu chấm)' },
    flags: { db: DB, lang: LANG },
  },
  'fleet:status': {
    summary: 'Tổng quan từ máy chủ govscan: cơ quan, tỷ lệ đạt, số không đạt theo mức độ, tác tử mất liên lạc',
    description: `Đọc GET /api/v1/overview bằng token viewer hoặc admin.\n\n${FLEET_EXIT}`,
    flags: {
      ...FLEET_FLAGS,
      'stale-after': 'Tác tử bị coi là mất liên lạc sau N chu kỳ của nó mà không gửi lô kết quả nào (mặc định: theo cấu hình của máy chủ)',
    },
  },
  'fleet:findings': {
    summary: 'Các phát hiện theo trạng thái mới nhất từ máy chủ govscan, lọc giống như API',
    description: `Đọc GET /api/v1/findings bằng token viewer hoặc admin: các phát hiện không đạt (trừ khi --outcome chỉ định khác), mới nhất trước.\n\n${FLEET_EXIT}`,
    flags: {
      ...FLEET_FLAGS,
      agency: 'Chỉ cơ quan này',
      system: 'Chỉ hệ thống có mã này (dùng kèm --agency; "" cho các đối tượng quét không thuộc hệ thống nào)',
      rule: 'Chỉ quy tắc có mã này',
      policy: 'Chỉ bộ quy tắc có mã này',
      target: 'Chỉ đối tượng quét có khóa này',
      severity: 'Chỉ mức độ này',
      outcome: 'Chỉ kết quả này (all: mọi kết quả)',
      limit: 'Hiển thị tối đa bấy nhiêu phát hiện',
      offset: 'Bỏ qua bấy nhiêu phát hiện đầu tiên',
    },
  },
  'fleet:export': {
    summary: 'Tải trạng thái mới nhất của một cơ quan từ máy chủ govscan dưới dạng SARIF hoặc JSON',
    description:
      'Đọc GET /api/v1/export/{agency}.sarif hoặc .json bằng token viewer hoặc admin: báo cáo mới nhất của từng tác tử thuộc cơ quan, đã được gộp lại. Tệp được ghi trọn vẹn hoặc không ghi gì.\n\n' +
      'Mã thoát: 0 đã ghi; 2 tham số không hợp lệ; 3 không kết nối được máy chủ, máy chủ từ chối token, hoặc máy chủ không biết cơ quan này.',
    flags: {
      ...FLEET_FLAGS,
      json: 'Khi có --output: in {agency, format, file, bytes} dưới dạng JSON thay cho câu thông báo (định dạng dữ liệu xuất do --format chọn)',
      agency: 'Mã cơ quan',
      format: 'Định dạng dữ liệu xuất',
      output: WRITE_TO,
    },
  },
  worker: {
    summary: 'Quét các việc của chiến dịch từ máy chủ govscan: nhận đối tượng quét, quét như `govscan scan`, gửi báo cáo về',
    description:
      'Nhận các việc của chiến dịch quét trên máy chủ (`govscan campaign create`) qua HTTP bằng token worker (`govscan server token create --role worker`), quét từng đối tượng quét theo các bộ quy tắc và tùy chọn của chiến dịch rồi gửi báo cáo về; máy chủ lưu báo cáo đó đúng một lần như một báo cáo của cơ quan trong chiến dịch. Đối tượng quét mà không phép thăm dò nào kết nối được sẽ được báo là lỗi kèm lý do: máy chủ thử lại sau một khoảng chờ tăng dần và, sau lần thử cuối, giữ việc đó ở trạng thái bỏ cuộc kèm lý do.\n\n' +
      'Có thể chạy bao nhiêu worker tùy ý, trên nhiều máy: mỗi worker nhận việc riêng. Khi không kết nối được máy chủ (ví dụ máy chủ khởi động lại), worker chờ với khoảng chờ tăng dần trong --retry-for giây rồi mới dừng. SIGTERM hoặc SIGINT: không nhận việc mới, các việc đang chạy được hoàn tất và gửi về, rồi thoát với mã 0; tín hiệu thứ hai dừng các lượt quét đang chạy và trả các việc đó về hàng đợi.\n\n' +
      'Mọi tham số cũng đặt được bằng biến môi trường GOVSCAN_<THAM_SỐ> (GOVSCAN_SERVER, GOVSCAN_TOKEN_FILE, …). HTTPS_PROXY/HTTP_PROXY/NO_PROXY áp dụng cho kết nối tới máy chủ.\n\n' +
      'Mã thoát: 0 dừng theo tín hiệu (hoặc hết việc khi có --exit-when-idle); 2 tham số hoặc tệp token không hợp lệ; 3 token bị từ chối hoặc không kết nối được máy chủ.',
    flags: {
      server: SERVER_URL,
      'token-file': 'Tệp chứa token worker (`govscan server token create --role worker`)',
      'server-ca': SERVER_CA,
      concurrency: 'Số việc được quét đồng thời',
      name: 'Tên của worker này trên máy chủ (mặc định: HOSTNAME:PID)',
      'poll-interval': 'Khoảng nghỉ giữa các lần xin việc khi hàng đợi trống',
      'retry-for': 'Thời gian chờ máy chủ không phản hồi trước khi dừng',
      'exit-when-idle': 'Thoát với mã 0 khi máy chủ không còn việc để giao và không có việc nào đang chạy',
      timeout: 'Thời gian chờ của mỗi kết nối, tính bằng ms, khi chiến dịch không đặt',
      'per-host': 'Số kết nối đồng thời tới một địa chỉ, tính trên mọi việc',
      resolve: 'HOST:PORT:ADDRESS — các ghim địa chỉ của mạng nơi worker chạy, áp dụng sau các ghim của chiến dịch (như `scan --resolve`)',
      'ca-file': 'Chứng thư gốc tin cậy bổ sung (PEM) cho các đối tượng quét, được đánh giá tách biệt với kho chứng thư số công cộng',
      'ca-pin': CA_PIN,
      'dns-server': 'Máy chủ DNS để truy vấn, IP[:PORT] (như `scan --dns-server`); lặp lại được',
      ...familyFlagsVi(FAMILY_OPTIONS),
      lang: LANG,
    },
  },
  'campaign:create': {
    summary:
      'Tạo chiến dịch quét trên máy chủ govscan: danh sách đối tượng quét hoặc danh mục hệ thống, do các tiến trình `govscan worker` quét',
    description:
      'Gửi POST /api/v1/campaigns bằng token soc hoặc admin. Không có --schedule thì chiến dịch chạy một lần, ngay bây giờ; có --schedule (biểu thức cron 5 trường, giờ UTC) thì máy chủ bắt đầu một lượt chạy vào mỗi thời điểm đó. Mỗi đối tượng quét là một việc trong mỗi lượt chạy; các worker (`govscan worker`) quét các việc theo bộ quy tắc và tùy chọn của chiến dịch, và mỗi kết quả được lưu đúng một lần như một báo cáo của cơ quan trong chiến dịch, giống báo cáo của tác tử.\n\n' +
      'Đối tượng quét được kiểm tra tại đây trước (dòng sai được báo dạng FILE:LINE, mã thoát 2); bộ quy tắc được chỉ định bằng mã bộ dựng sẵn, vì worker không có các tệp trên máy này.\n\n' +
      'Mã thoát: 0 đã tạo; 2 tham số, đối tượng quét hoặc danh mục không hợp lệ (hoặc máy chủ từ chối vì không hợp lệ); 3 không kết nối được máy chủ hoặc máy chủ từ chối token.',
    args: { targets: 'URL https://, smtp:// hoặc smtps://, host:port, hoặc tên miền (lặp lại được)' },
    flags: {
      ...CAMPAIGN_FLAGS,
      name: 'Tên chiến dịch (hiển thị trong danh sách và trên bảng điều khiển)',
      agency:
        'Cơ quan mà kết quả được lưu thành báo cáo của cơ quan đó (bắt buộc trừ khi danh mục có tên cơ quan; token giới hạn theo cơ quan: chính cơ quan đó)',
      'targets-file': 'Danh sách đối tượng quét, mỗi dòng một đối tượng quét (cho phép chú thích # và dòng trống)',
      inventory: 'Danh mục hệ thống (YAML): mỗi điểm cuối là một việc, kèm hệ thống của nó',
      schedule: 'Chạy vào mỗi thời điểm của biểu thức cron 5 trường này, giờ UTC (mặc định: một lần, ngay bây giờ)',
      policy: 'Mã bộ quy tắc dựng sẵn (lặp lại được; mặc định: mọi bộ dựng sẵn)',
      'legal-basis': 'Căn cứ pháp lý về cấp độ cho mọi hệ thống (như `scan --legal-basis`)',
      param: 'Đặt một tham số của bộ quy tắc, ghi PACK:NAME=VALUE khi nhiều bộ cùng có NAME',
      resolve: 'HOST:PORT:ADDRESS — các ghim địa chỉ mà mọi worker áp dụng (như `scan --resolve`)',
      timeout: 'Thời gian chờ của mỗi kết nối, tính bằng ms (mặc định: --timeout của từng worker)',
      ...FILTERS_VI,
    },
  },
  'campaign:list': {
    summary: 'Liệt kê các chiến dịch quét trên máy chủ govscan cùng tiến độ lượt chạy gần nhất',
    description: `Đọc GET /api/v1/campaigns bằng token viewer, soc hoặc admin (token giới hạn theo cơ quan chỉ thấy chiến dịch của cơ quan mình).\n\n${FLEET_EXIT}`,
    flags: CAMPAIGN_FLAGS,
  },
  'campaign:show': {
    summary: 'Xem một chiến dịch quét: các lượt chạy và tiến độ, các lỗi kèm lý do, các báo cáo đã lưu',
    description:
      'Đọc GET /api/v1/campaigns/ID bằng token viewer, soc hoặc admin. Tiến độ đếm các việc của mỗi lượt chạy theo trạng thái: xong (đã lưu báo cáo), chờ, đang quét, chờ thử lại (bị lỗi, đang chờ hết khoảng chờ), bỏ cuộc (đã thôi thử: lý do cho biết vì sao), đã hủy.\n\n' +
      'Mã thoát: 0 đã hiển thị; 2 tham số không hợp lệ; 3 không có chiến dịch này, không kết nối được máy chủ hoặc máy chủ từ chối token.',
    args: { id: 'Mã chiến dịch (`govscan campaign list`)' },
    flags: CAMPAIGN_FLAGS,
  },
  'campaign:cancel': {
    summary: 'Hủy một chiến dịch quét: không giao thêm việc, hủy các việc đang chờ, không còn lượt chạy theo lịch',
    description:
      'Gửi POST /api/v1/campaigns/ID/cancel bằng token soc hoặc admin. Các việc worker đang quét vẫn hoàn tất và báo cáo của chúng vẫn được lưu.\n\n' +
      'Mã thoát: 0 đã hủy; 2 tham số không hợp lệ; 3 không có chiến dịch này, không kết nối được máy chủ hoặc máy chủ từ chối token.',
    args: { id: 'Mã chiến dịch (`govscan campaign list`)' },
    flags: CAMPAIGN_FLAGS,
  },
  // @oclif/plugin-help's own command, listed in `govscan --help`.
  help: {
    description: 'Hiển thị trợ giúp cho <%= config.bin %>.',
    args: { command: 'Lệnh cần xem trợ giúp.' },
    flags: { 'nested-commands': 'Liệt kê cả các lệnh lồng bên trong.' },
  },
};

// `config show` takes every flag of scan (to show what a run with them would use), with the same texts.
COMMANDS_VI['config:show'] = {
  summary: 'Hiển thị các thiết lập đang có hiệu lực của govscan scan và nguồn của từng thiết lập',
  description:
    'Từng thiết lập của govscan scan cùng giá trị và nguồn của nó, theo thứ tự ưu tiên: tham số trên dòng lệnh, rồi biến môi trường GOVSCAN_<THAM_SỐ> (chữ hoa, dấu gạch ngang thành gạch dưới: --fail-on là GOVSCAN_FAIL_ON; tham số lặp lại được nhận danh sách phân cách bằng dấu phẩy), rồi tệp cấu hình, cuối cùng là giá trị mặc định. Tệp cấu hình là --config FILE, nếu không có thì GOVSCAN_CONFIG, nếu không nữa thì ./govscan.yaml khi tệp này tồn tại: tệp YAML, mỗi khóa ứng với một tham số (fail-on: medium, ca-file: [anchors.pem]). Truyền các tham số như khi chạy scan để xem lần quét đó sẽ dùng thiết lập nào.',
  args: { ...COMMANDS_VI.scan?.args },
  flags: { ...COMMANDS_VI.scan?.flags, json: JSON_OUT },
};
