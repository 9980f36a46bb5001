// Warnings about how this agent's credentials travel and rest: a token file other users on the host
// can read (whoever reads it can send batches as this agent), and a server reached over plain
// http:// on another machine (the enrolment secret, the token and the agency's findings cross the
// network in clear). Warnings, not refusals: plain http to this machine itself is a lab set-up.

import { stat } from 'node:fs/promises';
import { BlockList } from 'node:net';
import type { AgentLog } from './log.js';
import { AGENT_MESSAGES as M } from './messages.js';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether a URL's host is this machine: 127.0.0.0/8, ::1 (and their IPv4-mapped forms), or the name
 * `localhost`. Judged on the text alone: nothing is resolved, nothing is sent.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost') return true;
  try {
    return LOOPBACK.check(host, host.includes(':') ? 'ipv6' : 'ipv4');
  } catch {
    // Not an address (a name): only `localhost` is known to stay on this machine.
    return false;
  }
}

export function warnIfPlainHttp(server: string, log: AgentLog): void {
  if (!URL.canParse(server)) return;
  const url = new URL(server);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) log.warn(M.plainHttp, { url: url.origin });
}

export async function warnIfTokenOpen(file: string, log: AgentLog): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (info && info.mode & 0o077) log.warn(M.tokenFileOpen, { file, mode: (info.mode & 0o777).toString(8).padStart(4, '0') });
}

/** Both, for a run or a loop: the server it delivers to (the configured one, else the one it enrolled with) and its token file. */
export async function warnAboutExposure(server: string | null | undefined, tokenFile: string | null, log: AgentLog): Promise<void> {
  if (server) warnIfPlainHttp(server, log);
  if (tokenFile) await warnIfTokenOpen(tokenFile, log);
}
