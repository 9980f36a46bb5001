// The host family's check id and the part of its facts the server reads (certificate files).

/**
 * The agent's local host check (`host.local`, checks/host/): the part of its facts the server reads.
 * Its target is `local://<hostname>` (kind 'local'), one per agent run.
 */
export const HOST_CHECK = 'host.local';
export interface HostCertificateFileFact {
  path: string;
  status: 'ok' | 'missing' | 'unreadable' | 'not-a-certificate';
  subject: string | null;
  issuer: string | null;
  notAfter: string | null;
  daysToExpiry: number | null;
}
export interface HostFactsForServer {
  hostname: string;
  certificateFiles: HostCertificateFileFact[];
}
