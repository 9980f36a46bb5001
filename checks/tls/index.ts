// The TLS family: one check of every TLS endpoint (web, host:port, SMTP STARTTLS). Its trust flags
// (--ca-file, --ca-pin) are the scan's own, since evidence signatures are verified against them too;
// its own flag is --tls-quick (options.ts).

import type { CheckFamily } from '../../src/core/family.js';
import type { Check } from '../../src/core/types.js';
import { tlsEndpointCheck } from './checks.js';
import { TLS_OPTIONS, tlsSettings } from './options.js';

export const tlsFamily: CheckFamily = {
  id: 'tls',
  idPrefixes: ['tls'],
  title: {
    en: 'TLS endpoints: protocols, certificates, trust, OCSP, HSTS',
    vi: 'Điểm cuối TLS: giao thức, chứng thư số, độ tin cậy, OCSP, HSTS',
  },
  checks: [tlsEndpointCheck as Check],
  options: TLS_OPTIONS,
  prepare: async (values) => ({ tls: tlsSettings(values) }),
  packs: ['vn-ct02-2022-tls'],
};
