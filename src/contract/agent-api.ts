// What govscan-agent and govscan server exchange over HTTP: enrolment and batches. The agent and the
// server both code against these shapes and never import each other; the batch is defined with its JSON
// Schema in batch-schema.ts; the other bodies' schemas are under src/server/schemas/.

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

/** One agent run (src/contract/batch-schema.ts defines it with its JSON Schema). */
export type { Batch } from './batch-schema.js';

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
