// `govscan demo --agency`: the example agency of examples/agency scanned with the servers its inventory
// and evidence name actually listening on 127.0.0.1 — the portal's TLS endpoint (8443), the log
// collector (6514) and the NCSC endpoint (6515) — so its report shows the agency's real defects
// (evidence gaps, a tampered document) instead of "not tested: ECONNREFUSED". Nothing leaves loopback.

import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { clockFromEnv } from '../cli/clock.js';
import { createProgress } from '../cli/progress.js';
import { InputError } from '../core/errors.js';
import { packageRoot } from '../core/package-root.js';
import { executeScan, prepareScan } from '../engine/scan.js';
import { publicAnchors } from '../pki/trust-anchors.js';
import type { Lang } from '../core/types.js';
import { defineMessages, format } from '../core/i18n/index.js';
import { issueCertificate } from '../lab/pki.js';
import { BASELINE_CIPHERS, closeAll, createHttpsEndpoint, SocketTracker } from '../lab/servers.js';
import { render } from '../report/index.js';

/** The day the example's dates are written for (README: GOVSCAN_NOW=2026-12-02), inside the Decree 331 transition. */
const EXAMPLE_DAY = '2026-12-02T10:00:00+07:00';
const PORTAL = 8443;
const COLLECTOR = 6514;
const NCSC = 6515;

const M = defineMessages({
  noExample: {
    en: 'the example agency is not here ({path}): `govscan demo --agency` runs from a copy of the govscan repository',
    vi: 'không có cơ quan ví dụ tại {path}: `govscan demo --agency` chạy từ bản sao kho mã nguồn govscan',
  },
  portInUse: {
    en: '127.0.0.1:{port} is in use: the example agency needs it for its {what}; stop what listens there and run again',
    vi: '127.0.0.1:{port} đang được dùng: cơ quan ví dụ cần cổng này cho {what}; dừng chương trình đang lắng nghe ở đó rồi chạy lại',
  },
  portal: { en: 'portal (TLS)', vi: 'cổng thông tin (TLS)' },
  collector: { en: 'log collector', vi: 'máy thu thập nhật ký' },
  ncsc: { en: 'NCSC endpoint', vi: 'điểm kết nối NCSC' },
});

export interface AgencyDemoOptions {
  format: 'table' | 'json' | 'sarif';
  lang: Lang;
  color: boolean;
  quiet: boolean;
}

export async function runAgencyDemo(opts: AgencyDemoOptions): Promise<string> {
  const dir = join(packageRoot(), 'examples', 'agency');
  const inventory = join(dir, 'inventory.yaml');
  if (!existsSync(inventory)) throw new InputError(null, null, null, localized(M.noExample, { path: dir }));
  const clock = clockFromEnv(process.env.GOVSCAN_NOW) ?? clockFromEnv(EXAMPLE_DAY);
  const now = clock ? clock() : new Date();
  const lab = await startAgencyLab(now);
  try {
    const prepared = await prepareScan(
      { targets: [], inventory, policies: [], resolve: [], caFiles: [join(dir, 'ca', 'example-root.pem')], caPins: [], failOn: 'high', now },
      { timeoutMs: 3000 },
    );
    // The lab's root plays a publicly trusted CA for the portal's certificate; a real scan uses Node's store as it is.
    prepared.trust = { ...prepared.trust, public: { name: 'public', certificates: [...publicAnchors().certificates, lab.root] } };
    const mode = opts.quiet ? 'quiet' : process.stderr.isTTY ? 'tty' : 'plain';
    const progress = createProgress({ mode, targets: prepared.targets, lang: opts.lang });
    const report = await progress.wrap(() =>
      executeScan(prepared, {
        concurrency: 8,
        perHostLimit: 8,
        timeoutMs: 3000,
        targetTimeoutMs: 15000,
        keepFacts: opts.format === 'json',
        ...(clock ? { now: clock } : {}),
        onTargetStart: (t) => progress.start(t),
        onTargetDone: (t, a, f) => progress.done(t, a, f),
      }),
    );
    return render(report, opts.format, { lang: opts.lang, color: opts.color });
  } finally {
    await lab.close();
  }
}

interface AgencyLab {
  root: import('node:crypto').X509Certificate;
  close(): Promise<void>;
}

/** The portal with a sound certificate for 127.0.0.1 under a throw-away root, and two TCP listeners. */
async function startAgencyLab(now: Date): Promise<AgencyLab> {
  const day = 86_400_000;
  // Valid around both the example's day and today, whichever the scan judges by.
  const notBefore = new Date(Math.min(now.getTime(), Date.now()) - 30 * day);
  const notAfter = new Date(Math.max(now.getTime(), Date.now()) + 300 * day);
  const root = await issueCertificate({ subject: 'CN=govscan demo root (TEST ONLY), O=govscan example', isCA: true, keyUsage: ['keyCertSign', 'cRLSign'], notBefore, notAfter: new Date(notAfter.getTime() + 365 * day), keyId: 'agency-demo-root' });
  const leaf = await issueCertificate({ subjectCN: '127.0.0.1', sans: { ip: ['127.0.0.1'] }, issuer: root, extKeyUsage: ['serverAuth'], notBefore, notAfter });
  const tracker = new SocketTracker();
  const portal = createHttpsEndpoint({ chain: [leaf], staple: null, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ciphers: BASELINE_CIPHERS, hsts: true, banner: 'Cổng dịch vụ công tỉnh (ví dụ)' });
  // The collector and the NCSC endpoint only need to accept a connection: the check asks whether they answer.
  const collector = createServer((socket) => socket.end());
  const ncsc = createServer((socket) => socket.end());
  const servers: Server[] = [];
  try {
    for (const [server, port, what] of [[portal, PORTAL, M.portal], [collector, COLLECTOR, M.collector], [ncsc, NCSC, M.ncsc]] as const) {
      tracker.track(server);
      const outcome = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
        server.once('error', resolve);
        server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
          server.off('error', resolve);
          resolve(null);
        });
      });
      if (outcome) {
        if (outcome.code === 'EADDRINUSE' || outcome.code === 'EACCES') throw new InputError(null, null, null, localized(M.portInUse, { port, what: what.en }, { port, what: what.vi }));
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

function localized(text: { en: string; vi: string }, params: Record<string, unknown>, viParams: Record<string, unknown> = params): { en: string; vi: string } {
  return { en: format(text.en, params), vi: format(text.vi, viParams) };
}
