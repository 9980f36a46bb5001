// What govscan-agent and govscan server exchange over HTTP: enrolment and batches. The agent and the
// server both code against these shapes and never import each other; the wire shapes are also JSON
// Schemas under src/server/schemas/ (the API validates bodies with them).

import type { Report } from '../core/types.js';

/** POST /api/v1/enroll body. The secret is one-time: it is spent by the first successful enrolment. */
export interface EnrollRequest {
  secret: string;
  /** The agent host's name, shown on the dashboard. */
  hostname: string;
  agentVersion: string;
}

/** POST /api/v1/enroll 201 answer. `token` is shown once; the server keeps only its hash. */
export interface EnrollResponse {
  agentId: string;
  agency: string;
  token: string;
}

/**
 * One agent run: written to the agent's spool before upload, sent as the body of POST /api/v1/batches.
 * `report` is the engine's full JSON report (every finding, passes included, attempts with facts), so
 * the server can keep history per rule and show the evidence behind each failure.
 */
export interface Batch {
  schemaVersion: 1;
  /** UUID v4 chosen by the agent when the run starts; the idempotency key. */
  batchId: string;
  agentId: string;
  /** Agency id the agent was enrolled for; must match the token's agency (else 403). */
  agency: string;
  /** When the run finished (ISO 8601). */
  createdAt: string;
  agent: { version: string; hostname: string; intervalSeconds: number };
  report: Report;
}

/** POST /api/v1/batches answer: 201 stored now, 200 already stored earlier (a repeat upload). */
export interface BatchAck {
  batchId: string;
  status: 'stored' | 'duplicate';
}

/** Every non-2xx answer. `error` is a stable code; `message` says nothing an attacker could use. */
export interface ApiError {
  error: 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'payload-too-large' | 'conflict' | 'too-many-requests' | 'internal';
  message: string;
}
