// Everything `govscan worker` logs, in English and Vietnamese (GOVSCAN_LANG or --lang picks one).

import { defineMessages } from '../core/i18n/index.js';

export const WORKER_MESSAGES = defineMessages({
  started: {
    en: 'worker {name} started: up to {concurrency} {concurrency:job|jobs} at once from {server}',
    vi: 'worker {name} đã chạy: tối đa {concurrency} việc cùng lúc, nhận từ {server}',
  },
  stopping: {
    en: 'received {signal}: no new jobs; finishing the {running} running {running:job|jobs}',
    vi: 'nhận tín hiệu {signal}: không nhận việc mới; đang hoàn tất {running} việc đang chạy',
  },
  stoppingNow: {
    en: 'received {signal} again: stopping the running scans; their jobs go back to the queue',
    vi: 'nhận lại tín hiệu {signal}: dừng các lượt quét đang chạy; các việc này được trả lại hàng đợi',
  },
  stopped: {
    en: 'worker {name} stopped: {done} {done:result|results} delivered, {failed} {failed:failure|failures} reported',
    vi: 'worker {name} đã dừng: đã gửi {done} kết quả, đã báo {failed} lỗi',
  },
  idle: {
    en: 'no job waiting: worker {name} exits (--exit-when-idle)',
    vi: 'không còn việc chờ: worker {name} thoát (--exit-when-idle)',
  },
  jobDone: {
    en: 'job {job} ({target}): result {status} ({failed} failed {failed:finding|findings})',
    vi: 'việc {job} ({target}): kết quả {status} ({failed} phát hiện không đạt)',
  },
  jobFailed: {
    en: 'job {job} ({target}): not scanned: {reason}',
    vi: 'việc {job} ({target}): không quét được: {reason}',
  },
  jobDropped: {
    en: 'job {job}: the server no longer holds it for this worker ({status}); it goes on without it',
    vi: 'việc {job}: máy chủ không còn giao việc này cho worker ({status}); tiếp tục việc khác',
  },
  jobUndelivered: {
    en: 'job {job}: the server could not be reached to take its outcome ({reason}); the job returns to the queue when its lease ends',
    vi: 'việc {job}: không gửi được kết quả lên máy chủ ({reason}); việc sẽ trở lại hàng đợi khi hết thời hạn giữ',
  },
  resultRefused: {
    en: 'job {job}: the server refused the result ({status} {error}: {message}); reported as a failure',
    vi: 'việc {job}: máy chủ từ chối kết quả ({status} {error}: {message}); báo là lỗi',
  },
  serverRetry: {
    en: '{what}: {reason}; trying again in {delay} s',
    vi: '{what}: {reason}; thử lại sau {delay} giây',
  },
  serverGaveUp: {
    en: 'the server at {server} did not answer for {seconds} s ({reason}): the worker stops',
    vi: 'máy chủ tại {server} không phản hồi trong {seconds} giây ({reason}): worker dừng',
  },
  tokenRefused: {
    en: 'the server refused the worker token ({status}): create one with `govscan server token create --role worker` and pass it with --token-file',
    vi: 'máy chủ từ chối token của worker ({status}): tạo token bằng `govscan server token create --role worker` và truyền bằng --token-file',
  },
  // Reasons (inside other lines)
  reasonNetwork: { en: 'network error: {detail}', vi: 'lỗi mạng: {detail}' },
  reasonTimeout: { en: 'no answer within {ms} ms', vi: 'không có phản hồi sau {ms} ms' },
  reasonStatus: { en: 'HTTP {status}', vi: 'HTTP {status}' },
  reasonNotJson: {
    en: 'HTTP {status} without a JSON answer (is it a govscan server?)',
    vi: 'HTTP {status} không kèm phản hồi JSON (có phải máy chủ govscan không?)',
  },
  whatClaim: { en: 'asking for jobs', vi: 'xin việc' },
  whatResult: { en: 'delivering the result of job {job}', vi: 'gửi kết quả việc {job}' },
  whatFail: { en: 'reporting the failure of job {job}', vi: 'báo lỗi việc {job}' },
  statusStored: { en: 'stored', vi: 'đã lưu' },
  statusDuplicate: { en: 'already stored', vi: 'đã lưu từ trước' },
});
