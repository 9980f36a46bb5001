// "Does the server accept TLS version X?" asked with one hand-built ClientHello over a plain TCP
// connection: the server's first answer (a ServerHello naming a version, or an alert) settles it, so
// the probe closes as soon as that answer is in. A full node:tls handshake costs the client ~1.5 ms of
// CPU (key exchange, certificate parsing and verification); this costs a few microseconds.

import type { CheckContext } from '../../src/core/types.js';
import { cipherName } from './cipher-suites.js';
import { buildClientHello, VERSION_CODES, versionName } from './client-hello.js';
import { alertName, ServerHelloReader, type ServerAnswer } from './server-hello.js';
import type { ProtocolProbe, TlsVersion } from './facts.js';
import { exchangeHello } from './hello-exchange.js';
import type { TlsEndpoint } from './probe-handshake.js';

/** Only the first handshake message matters; a server sending more than this before it is not TLS-sane. */
const MAX_ANSWER_BYTES = 65_536;

/**
 * Offers exactly `version` and reports whether the server took it. Never throws: a refusal is
 * `{status: 'ok', accepted: false}`, anything that leaves the question open is `{status: 'error'}`.
 * The connection lives at most `ctx.timeoutMs` after connecting, and ends at once when `signal` aborts.
 */
export async function probeVersionHello(
  ctx: CheckContext,
  ep: TlsEndpoint,
  version: TlsVersion,
  signal: AbortSignal,
): Promise<ProtocolProbe> {
  const reader = new ServerHelloReader(MAX_ANSWER_BYTES);
  const result = await exchangeHello(ctx, ep, buildClientHello(version, ep.servername), reader, `${version} ClientHello`, signal);
  switch (result.kind) {
    case 'answer':
      return judgeAnswer(result.answer, version);
    case 'closed': {
      const reason =
        result.received === 0
          ? `server closed the connection in answer to the ${version} ClientHello`
          : `server closed the connection before its answer to the ${version} ClientHello was complete`;
      return { status: 'ok', accepted: false, reason };
    }
    case 'reset':
      return {
        status: 'ok',
        accepted: false,
        reason: `server reset the connection in answer to the ${version} ClientHello (${result.code})`,
      };
    case 'error':
      return { status: 'error', reason: result.reason };
  }
}

/** What a server's first answer says about `version`. Pure; exported for tests on recorded bytes. */
export function judgeAnswer(answer: ServerAnswer, version: TlsVersion): ProtocolProbe {
  switch (answer.kind) {
    case 'server-hello': {
      // A version other than the one offered — lower (a fallback) or higher (supported_versions we did
      // not send, or a broken server) — means the server will not speak this one.
      if (answer.version !== VERSION_CODES[version]) {
        return {
          status: 'ok',
          accepted: false,
          reason: `server chose ${versionName(answer.version)} in answer to a ${version}-only ClientHello`,
        };
      }
      // A HelloRetryRequest only asks for another key share: the version is already agreed.
      return { status: 'ok', accepted: true, cipher: cipherName(answer.cipher) };
    }
    case 'alert':
      return {
        status: 'ok',
        accepted: false,
        reason: `server refused the ${version} ClientHello with ${answer.level === 2 ? 'fatal' : 'warning'} alert ${alertName(answer.description)} (${answer.description})`,
      };
    case 'not-tls':
      return { status: 'error', reason: `not TLS: the server answered the ${version} ClientHello with ${answer.detail}` };
    case 'malformed':
      return { status: 'error', reason: `${version} probe: ${answer.detail}` };
  }
}
