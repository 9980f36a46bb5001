// The TLS family: one check of every TLS endpoint (web, host:port, SMTP STARTTLS). Its trust flags
// (--ca-file, --ca-pin) are the scan's own, since evidence signatures are verified against them too.

import type { CheckFamily } from '../../src/core/family.js';
import type { Check } from '../../src/core/types.js';
import { tlsEndpointCheck } from './checks.js';

export const tlsFamily: CheckFamily = {
  id: 'tls',
  idPrefixes: ['tls'],
  title: {
    en: 'TLS endpoints: protocols, certificates, trust, OCSP, HSTS',
    vi: 'Điểm cuối TLS: giao thức, chứng thư số, độ tin cậy, OCSP, HSTS',
  },
  checks: [tlsEndpointCheck as Check],
  options: [],
  packs: ['vn-ct02-2022-tls'],
};
