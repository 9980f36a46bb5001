// Hostile TLS servers against the tls.endpoint check (issue 14): garbage after the ServerHello, an
// endless handshake message, a server that resets every connection after the first few, and silence.
// Each is scanned at the same time as a good endpoint. What a user relies on: the scan of a hostile
// endpoint ends with an error and its reason (never facts that read as a pass), it costs no more
// connections than a good endpoint, and the good endpoint's facts are whole.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeError } from '../../../src/core/types.js';
import { issueCertificate, type IssuedCert } from '../../../src/lab/pki.js';
import { HOSTILE_KINDS, startHostileLab, type HostileKind, type HostileLab } from '../../../src/lab/tls-hostile.js';
import { tlsEndpointCheck } from '../../../checks/tls/checks.js';
import type { TlsFacts } from '../../../checks/tls/facts.js';
import { closeAll, serveHttps, target, testContext } from './farm.js';

const HOST = 'hostile.lab.test';
const hosts = { [HOST]: '127.0.0.1' };
// Connections the reset-after endpoint serves before it resets every further one: the main handshake
// gets through, the version probes that follow meet resets.
const RESET_AFTER = 1;

type Outcome = { facts: TlsFacts; dials: number } | { error: ProbeError; dials: number };

const VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

let root: IssuedCert;
let leaf: IssuedCert;
let lab: HostileLab;
const outcomes = new Map<HostileKind | 'good', Outcome>();

beforeAll(async () => {
  root = await issueCertificate({ subject: 'CN=Hostile Lab Root, O=GovScan Lab, C=VN', isCA: true });
  leaf = await issueCertificate({ subjectCN: HOST, sans: { dns: [HOST] }, issuer: root });
  lab = await startHostileLab({ leaf, resetAfter: RESET_AFTER });
  const good = await serveHttps({ chain: [leaf] });
  const endpoints: [HostileKind | 'good', number][] = [
    ['good', good.port],
    ...lab.endpoints.map((e) => [e.kind, e.port] as [HostileKind, number]),
  ];
  // All at once, as a scan of many targets would have them in flight together.
  await Promise.all(
    endpoints.map(async ([kind, port]) => {
      const ctx = testContext({ anchors: [root], hosts, timeoutMs: 1_500 });
      const outcome = await tlsEndpointCheck.run(target(HOST, port), ctx).then(
        (facts): Outcome => ({ facts, dials: ctx.dials }),
        (error: unknown): Outcome => {
          if (!(error instanceof ProbeError)) throw error;
          return { error, dials: ctx.dials };
        },
      );
      outcomes.set(kind, outcome);
    }),
  );
}, 120_000);

afterAll(async () => {
  await lab?.close();
  await closeAll();
});

function facts(kind: HostileKind | 'good'): TlsFacts {
  const o = outcomes.get(kind);
  if (!o || !('facts' in o)) throw new Error(`${kind}: no facts (${o && 'error' in o ? o.error.message : 'not scanned'})`);
  return o.facts;
}

function failure(kind: HostileKind): ProbeError {
  const o = outcomes.get(kind);
  if (!o || !('error' in o)) throw new Error(`${kind}: expected the check to fail, got facts`);
  return o.error;
}

describe('hostile TLS servers scanned beside a good one', () => {
  it('the good endpoint scanned at the same time has whole facts', () => {
    const f = facts('good');
    expect(f.protocols['TLSv1.2']).toMatchObject({ status: 'ok', accepted: true });
    expect(f.protocols['TLSv1.3']).toMatchObject({ status: 'ok', accepted: true });
    expect(f.trust.public.trusted).toBe(true);
  });

  it('garbage after the ServerHello is a protocol error with its reason', () => {
    const err = failure('garbage-after-hello');
    expect(err.kind).toBe('protocol');
    expect(err.message).toMatch(/\S/);
  });

  it('an endless handshake message is a protocol error, read only up to a bound', () => {
    const err = failure('endless-records');
    expect(err.kind).toBe('protocol');
    expect(err.message).toMatch(/excessive|too (long|large)|bound|limit/i);
  });

  it('a silent server is one timeout', () => {
    expect(failure('silent').kind).toBe('timeout');
  });

  it('a server that starts resetting mid-scan leaves errors with a reason, never a clean pass', () => {
    const f = facts('reset-after');
    expect(lab.accepted('reset-after')).toBeGreaterThan(RESET_AFTER);
    const probes = Object.values(f.protocols);
    for (const p of probes) if (p.status === 'error') expect(p.reason).toMatch(/\S/);
    // At least one probe met a reset, and none of those reads as an accepted version.
    const reset = probes.filter((p) => /reset|ECONNRESET/i.test(p.reason ?? ''));
    expect(reset.length).toBeGreaterThan(0);
    for (const p of reset) expect(p.status === 'error' || p.accepted === false).toBe(true);
  });

  it('the enumeration of a server that resets mid-scan is never a clean, shorter list', async () => {
    // The same server resetting after n connections for n across the scan (main handshake, version
    // probes, suite enumeration per version, order checks): any version whose suites read 'ok' must
    // list exactly what the never-resetting twin lists; anything less is an error with its reason.
    const scan = async (resetAfter: number): Promise<TlsFacts | ProbeError> => {
      const twin = await startHostileLab({ leaf, resetAfter });
      try {
        const port = twin.endpoints.find((e) => e.kind === 'reset-after')!.port;
        const ctx = testContext({ anchors: [root], hosts, timeoutMs: 1_500 });
        return await tlsEndpointCheck.run(target(HOST, port), ctx).catch((err: unknown) => err as ProbeError);
      } finally {
        await twin.close();
      }
    };
    const truth = await scan(Number.MAX_SAFE_INTEGER);
    if (truth instanceof Error) throw truth;
    const truthSuites = (v: (typeof VERSIONS)[number]): number[] => truth.enumeration!.versions[v].suites.map((s) => s.code);
    expect(truthSuites('TLSv1.2').length).toBeGreaterThan(3);
    const total = truth.enumeration!.connections;
    for (let n = 1; n < total + 5; n += 3) {
      const facts = await scan(n);
      if (facts instanceof Error) continue; // the check failed outright: an error, never a pass
      for (const v of VERSIONS) {
        const found = facts.enumeration?.versions[v];
        if (found?.status === 'ok') expect({ n, v, suites: found.suites.map((s) => s.code) }).toEqual({ n, v, suites: truthSuites(v) });
        else if (found?.status === 'error') expect(found.reason, `${v} after ${n}`).toMatch(/\S/);
      }
    }
  }, 120_000);

  it('no hostile endpoint costs more connections than the good one', () => {
    const good = outcomes.get('good')!.dials;
    for (const kind of HOSTILE_KINDS) expect({ kind, dials: outcomes.get(kind)!.dials <= good }).toEqual({ kind, dials: true });
  });
});
