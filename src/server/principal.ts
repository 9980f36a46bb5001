// Who is calling the server's API: the role and scope a token grants.

export type Role = 'agent' | 'viewer' | 'admin';

/**
 * Bearer tokens are `gs<role letter>_<id>.<secret>` (gsa_ agent, gsv_ viewer, gsm_ admin); the server
 * stores sha256(secret) by id and compares in constant time.
 */
export interface Principal {
  role: Role;
  tokenId: string;
  /**
   * For agents: the only agency they may write, and nothing they may read. For viewers: when set,
   * the only agency they may read (an agency's own IT); unset, every agency.
   */
  agency?: string;
  agentId?: string;
}
