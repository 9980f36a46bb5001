// `govscan-agent enroll`: spend a one-time enrolment secret for this agent's own token, and keep
// the token where only the agent's user can read it (0600, written atomically).

import { mkdir } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { dirname } from 'node:path';
import type { EnrollRequest, EnrollResponse } from '../src/contract/agent-api.js';
import { InputError, ScanError } from '../src/core/errors.js';
import { toolVersion } from '../src/core/version.js';
import { localize } from '../src/core/i18n/index.js';
import type { Lang } from '../src/core/types.js';
import type { AgentConfig } from './config.js';
import type { AgentLog } from './log.js';
import { agentFor, describeError, parseJson, post } from './http.js';
import { AGENT_MESSAGES as M } from './messages.js';
import { tokenExists, writeToken, type AgentToken } from './token.js';
import { readCaFiles } from './upload.js';

export interface EnrollOptions {
  server: string;
  secret: string;
  config: AgentConfig;
  force: boolean;
  lang: Lang;
  hostname?: string;
  /** Where the proxy in use, if any, is named. */
  log?: AgentLog;
}

export async function enroll(opts: EnrollOptions): Promise<AgentToken> {
  const file = opts.config.tokenFile;
  // Checked before the request: the secret is spent by the first successful enrolment.
  if (!opts.force && (await tokenExists(file))) throw InputError.unlocated(localize(M.alreadyEnrolled, opts.lang, { file }));
  const url = new URL('/api/v1/enroll', opts.server.replace(/\/+$/, '') + '/');
  const host = (opts.hostname ?? opts.config.host.name ?? osHostname()).toLowerCase();
  const request: EnrollRequest = { secret: opts.secret, hostname: host, agentVersion: toolVersion() };
  const agent = agentFor(url, await readCaFiles(opts.config.server.caFiles), false, opts.log);
  let answer: Awaited<ReturnType<typeof post>>;
  try {
    answer = await post(url, Buffer.from(JSON.stringify(request)), {
      agent,
      headers: {},
      signal: AbortSignal.timeout(opts.config.server.timeoutMs),
    });
  } catch (err) {
    throw new ScanError(localize(M.serverUnreachable, opts.lang, { url: url.origin, reason: describeError(err) }));
  } finally {
    agent.destroy();
  }
  const body = parseJson(answer.text) as Partial<EnrollResponse & { error: string; message: string }> | null;
  if (answer.status === 400 || answer.status === 401 || answer.status === 403 || answer.status === 404) {
    throw InputError.unlocated(localize(M.enrollRefused, opts.lang, { status: answer.status, error: body?.error ?? '' }));
  }
  if (answer.status !== 201 && answer.status !== 200) {
    throw new ScanError(
      localize(M.serverError, opts.lang, { url: url.href, status: answer.status, message: body?.message ?? answer.text.slice(0, 200) }),
    );
  }
  if (typeof body?.agentId !== 'string' || typeof body.agency !== 'string' || typeof body.token !== 'string') {
    throw new ScanError(
      localize(M.serverError, opts.lang, { url: url.href, status: answer.status, message: 'the answer has no agentId, agency and token' }),
    );
  }
  const token: AgentToken = {
    agentId: body.agentId,
    agency: body.agency,
    token: body.token,
    server: opts.server.replace(/\/+$/, ''),
    hostname: host,
    enrolledAt: new Date().toISOString(),
  };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeToken(file, token);
  return token;
}
