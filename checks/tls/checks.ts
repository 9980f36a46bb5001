// The tls.endpoint check: what it is called, what it applies to, the facts it yields.

import type { Check, Target } from '../../src/core/types.js';
import type { TlsFacts } from './facts.js';
import { tlsFactsSchema } from './facts.schema.js';
import { lazyProbe } from '../../src/core/family.js';

export const tlsEndpointCheck: Check<TlsFacts> = {
  id: 'tls.endpoint',
  family: 'tls',
  title: {
    en: 'TLS endpoint: protocols, certificate chain, trust, OCSP stapling, HSTS',
    vi: 'Điểm cuối TLS: giao thức, chuỗi chứng thư số, độ tin cậy, OCSP stapling, HSTS',
  },
  description: {
    en:
      'Connects to the endpoint (for smtp:// after the SMTP STARTTLS dialogue) and records which TLS versions it accepts, the negotiated cipher and key exchange, ' +
      'the certificate chain exactly as the server sends it, whether that chain reaches a trusted root (public and ' +
      'agency-supplied anchors), whether the certificate names the host, the stapled OCSP response and whether its ' +
      'signature, signer, certificate and dates hold, and, for web ' +
      'endpoints, the Strict-Transport-Security header.',
    vi:
      'Kết nối tới điểm cuối (với smtp:// sau bước STARTTLS của SMTP) và ghi nhận các phiên bản TLS được chấp nhận, bộ mã hóa và cơ chế trao đổi khóa đã thỏa ' +
      'thuận, chuỗi chứng thư số đúng như máy chủ gửi, việc chuỗi có dẫn tới chứng thư gốc tin cậy (kho công cộng và ' +
      'kho do cơ quan cung cấp) hay không, chứng thư có đúng tên máy chủ hay không, phản hồi OCSP được đính kèm cùng ' +
      'chữ ký, bên ký, chứng thư và thời hạn của phản hồi đó và, ' +
      'với điểm cuối web, tiêu đề Strict-Transport-Security.',
  },
  appliesTo: (target: Target) => target.kind === 'web' || target.kind === 'host',
  run: lazyProbe(async () => (await import('./probe-endpoint.js')).probeEndpoint),
  factsSchema: tlsFactsSchema,
};
