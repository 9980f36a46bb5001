// Who is calling the server's API: the role and scope a token grants.

export type Role = 'agent' | 'viewer' | 'admin' | 'soc' | 'worker';

/** Roles whose token may be scoped to one agency (an agency's own IT). */
export const SCOPABLE_ROLES: readonly Role[] = ['viewer', 'soc'];

/**
 * Bearer tokens are `gs<role letter>_<id>.<secret>` (gsa_ agent, gsv_ viewer, gsm_ admin, gss_ soc:
 * creates and reads campaigns, gsw_ worker: runs campaign jobs); the server
 * stores sha256(secret) by id and compares in constant time.
 */
export interface Principal {
  role: Role;
  tokenId: string;
  /**
   * For agents: the only agency they may write, and nothing they may read. For viewers: when set,
   * the only agency they may read (an agency's own IT); unset, every agency. For soc tokens: when
   * set, the only agency whose campaigns they may create and read.
   */
  agency?: string;
  agentId?: string;
}
