// The peer for bench:server: the least an ingest server must do, with the same durability and the
// same wire — node:http, JSON.parse of the body, a bearer-token check, and one INSERT OR IGNORE of the
// raw batch into SQLite (WAL, synchronous=FULL) per request. No validation, no normalisation into
// rows, no grouping of commits, no compression. Run as its own process by bench/server/run.ts; it
// answers just enough of /api/v1 for the simulated agents to enrol and upload.
//
//   node dist/bench/server/naive-server.js DBFILE   → prints "listening on http://127.0.0.1:PORT"

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Database from 'better-sqlite3';

const file = process.argv[2];
if (!file) {
  console.error('usage: naive-server DBFILE');
  process.exit(2);
}
const db = new Database(file);
db.pragma('busy_timeout = 10000');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('create table if not exists batches (batch_id text primary key, agent_id text not null, body blob not null)');
const insert = db.prepare('insert or ignore into batches (batch_id, agent_id, body) values (?, ?, ?)');
const tokens = new Map<string, { agentId: string; agency: string }>();

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const server = createServer((req, res) => {
  void (async () => {
    const body = await readBody(req);
    if (req.method === 'POST' && req.url === '/api/v1/enrollments') return answer(res, 201, { secret: randomBytes(16).toString('hex') });
    if (req.method === 'POST' && req.url === '/api/v1/enroll') {
      const agentId = randomUUID();
      const token = `naive_${randomBytes(24).toString('hex')}`;
      tokens.set(token, { agentId, agency: 'bench' });
      return answer(res, 201, { agentId, agency: 'bench', token });
    }
    if (req.method === 'POST' && req.url === '/api/v1/batches') {
      const principal = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (!principal) return answer(res, 401, { error: 'unauthorized', message: 'no' });
      let batch: { batchId?: unknown };
      try {
        batch = JSON.parse(body.toString('utf8')) as { batchId?: unknown };
      } catch {
        return answer(res, 400, { error: 'bad-request', message: 'not JSON' });
      }
      if (typeof batch.batchId !== 'string') return answer(res, 400, { error: 'bad-request', message: 'no batchId' });
      const stored = insert.run(batch.batchId, principal.agentId, body).changes > 0;
      return answer(res, stored ? 201 : 200, { batchId: batch.batchId, status: stored ? 'stored' : 'duplicate' });
    }
    if (req.method === 'GET' && req.url === '/api/v1/count') {
      return answer(res, 200, { batches: (db.prepare('select count(*) as n from batches').get() as { n: number }).n });
    }
    answer(res, 404, { error: 'not-found', message: 'no' });
  })().catch((err: unknown) => answer(res, 500, { error: 'internal', message: String(err) }));
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') console.error(`listening on http://127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => server.close(() => db.close()));
