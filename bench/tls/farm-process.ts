// The benchmark's farm in a process of its own, so servers and scanners do not share an event loop.
// Prints the endpoints as one JSON line, then answers each "accepted" line on stdin with the number of
// TCP connections the farm has accepted so far; serves until its stdin closes.
//   node farm-process.js N [mixed]

import { createInterface } from 'node:readline';
import { startPlainFarm } from '../../src/lab/bench-farm.js';

const n = Number(process.argv[2] ?? '200');
const farm = await startPlainFarm(n, { mixed: process.argv[3] === 'mixed' });
process.stdout.write(
  JSON.stringify({ endpoints: farm.endpoints.map((e) => ({ host: e.host, port: e.port })), rootPem: farm.publicRootPemFile }) + '\n',
);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'accepted') process.stdout.write(`${JSON.stringify({ accepted: farm.accepted() })}\n`);
});
lines.on('close', () => void farm.close().then(() => process.exit(0)));
