// Why an IPv6 check could not judge a target, in both languages: these become the "not tested"
// reasons of every rule of the check.

import { defineMessages } from '../../src/core/i18n/index.js';

export const IPV6_MESSAGES = defineMessages({
  pinned: {
    en: '--resolve pins the addresses of {host}: what DNS publishes for it (IPv6 readiness) is not judged; leave it out of --resolve to test it',
    vi: '--resolve cố định địa chỉ của {host}: dữ liệu DNS công bố cho tên này (mức sẵn sàng IPv6) không được đánh giá; bỏ tên này khỏi --resolve để kiểm tra',
  },
  noAddress: {
    en: '{name} has no A or AAAA record in DNS: there is no server to judge',
    vi: 'tên {name} không có bản ghi A hoặc AAAA trên DNS: không có máy chủ nào để đánh giá',
  },
});
