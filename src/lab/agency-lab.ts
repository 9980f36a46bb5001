// The servers the example agency (examples/agency) names, on 127.0.0.1 for `govscan demo --agency`: the
// portal's TLS endpoint (8443), the log collector (6514) and the NCSC endpoint (6515), so the example's
// report shows its real defects (evidence gaps, a tampered document) instead of "not tested:
// ECONNREFUSED". A port already taken is an input error naming it, never a scan against a stranger.

import type { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { InputError } from '../core/errors.js';
import { defineMessages, format } from '../core/i18n/index.js';
import { issueCertificate } from './pki.js';
import { closeAll, createHttpsEndpoint, GOOD_TLS, SocketTracker } from './servers.js';

const PORTAL = 8443;
const COLLECTOR = 6514;
const NCSC = 6515;

const M = defineMessages({
  portInUse: {
    en: '127.0.0.1:{port} is in use: the example agency needs it for its {what}; stop what listens there and run again',
    vi: '127.0.0.1:{port} đang được dùng: cơ quan ví dụ cần cổng này cho {what}; dừng chương trình đang lắng nghe ở đó rồi chạy lại',
  },
  portal: { en: 'portal (TLS)', vi: 'cổng thông tin (TLS)' },
  collector: { en: 'log collector', vi: 'máy thu thập nhật ký' },
  ncsc: { en: 'NCSC endpoint', vi: 'điểm kết nối NCSC' },
});

export interface AgencyLab {
  /** Issues the portal's certificate: trust it as a public CA for the scan. */
  root: X509Certificate;
  close(): Promise<void>;
}

/** The portal with a sound certificate for 127.0.0.1 under a throw-away root, and two TCP listeners. */
export async function startAgencyLab(now: Date): Promise<AgencyLab> {
  const day = 86_400_000;
  // Valid around both the example's day and today, whichever the scan judges by.
  const notBefore = new Date(Math.min(now.getTime(), Date.now()) - 30 * day);
  const notAfter = new Date(Math.max(now.getTime(), Date.now()) + 300 * day);
  const root = await issueCertificate({
    subject: 'CN=govscan demo root (TEST ONLY), O=govscan example',
    isCA: true,
    keyUsage: ['keyCertSign', 'cRLSign'],
    notBefore,
    notAfter: new Date(notAfter.getTime() + 365 * day),
    keyId: 'agency-demo-root',
  });
  const leaf = await issueCertificate({
    subjectCN: '127.0.0.1',
    sans: { ip: ['127.0.0.1'] },
    issuer: root,
    extKeyUsage: ['serverAuth'],
    notBefore,
    notAfter,
  });
  const tracker = new SocketTracker();
  const portal = createHttpsEndpoint({
    chain: [leaf],
    staple: null,
    minVersion: GOOD_TLS.minVersion,
    maxVersion: GOOD_TLS.maxVersion,
    ciphers: GOOD_TLS.ciphers,
    hsts: true,
    banner: 'Cổng dịch vụ công tỉnh (ví dụ)',
  });
  // The collector and the NCSC endpoint only need to accept a connection: the check asks whether they answer.
  const collector = createServer((socket) => socket.end());
  const ncsc = createServer((socket) => socket.end());
  const servers: Server[] = [];
  try {
    for (const [server, port, what] of [
      [portal, PORTAL, M.portal],
      [collector, COLLECTOR, M.collector],
      [ncsc, NCSC, M.ncsc],
    ] as const) {
      tracker.track(server);
      const outcome = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
        server.once('error', resolve);
        server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
          server.off('error', resolve);
          resolve(null);
        });
      });
      if (outcome) {
        if (outcome.code === 'EADDRINUSE' || outcome.code === 'EACCES')
          throw InputError.unlocated(localized(M.portInUse, { port, what: what.en }, { port, what: what.vi }));
        throw outcome;
      }
      servers.push(server);
    }
  } catch (err) {
    await closeAll(servers, tracker);
    throw err;
  }
  return { root: root.cert, close: () => closeAll(servers, tracker) };
}

function localized(
  text: { en: string; vi: string },
  params: Record<string, unknown>,
  viParams: Record<string, unknown> = params,
): { en: string; vi: string } {
  return { en: format(text.en, params), vi: format(text.vi, viParams) };
}
