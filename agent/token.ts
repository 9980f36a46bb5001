// The agent's credentials on disk: one JSON file, mode 0600, written atomically.

import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../src/core/errors.js';
import { writeFileAtomic } from '../src/core/atomic-file.js';
import type { AgentLog } from './log.js';
import { AGENT_MESSAGES as M } from './messages.js';

export interface AgentToken {
  agentId: string;
  agency: string;
  /** Bearer token (`gsa_<id>.<secret>`): shown once by the server, kept only here. */
  token: string;
  /** Server it was issued by, used when the configuration names none. */
  server: string;
  hostname: string;
  enrolledAt: string;
}

export class NotEnrolledError extends Error {
  constructor(readonly file: string) {
    super(`${file}: not enrolled`);
    this.name = 'NotEnrolledError';
  }
}

export async function tokenExists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

export async function writeToken(file: string, token: AgentToken): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(token, null, 2) + '\n', 0o600);
}

/** The token file, or NotEnrolledError when there is none; a corrupt one is an InputError. */
export async function readToken(file: string): Promise<AgentToken> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotEnrolledError(file);
    throw InputError.inFile(file, `cannot read the token: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw InputError.inFile(file, 'not a govscan-agent token file (not JSON)');
  }
  const t = value as Partial<AgentToken> | null;
  for (const field of ['agentId', 'agency', 'token', 'server'] as const) {
    if (typeof t?.[field] !== 'string' || !t[field]) throw InputError.inFile(file, `not a govscan-agent token file (no "${field}")`);
  }
  return t as AgentToken;
}

/** The token, or null after logging that the agent must enrol first (runs and drains cannot go on). */
export async function readTokenOrWarn(file: string, log: AgentLog): Promise<AgentToken | null> {
  try {
    return await readToken(file);
  } catch (err) {
    if (err instanceof NotEnrolledError) {
      log.warn(M.notEnrolled, { file: err.file });
      return null;
    }
    throw err;
  }
}
