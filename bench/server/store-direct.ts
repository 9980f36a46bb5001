// Store-only ingest: N concurrent callers straight into Store.ingest, no HTTP. Shows how much of the
// end-to-end figure is the database. `node dist/bench/server/store-direct.js URL [seconds]`.

import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/server/store/store.js';
import { batchOfFindings } from '../../src/lab/fleet-seed.js';

export async function storeDirect(
  url: string,
  seconds: number,
  callers = 50,
): Promise<{ batches: number; perSecond: number; p50: number; p99: number; cpuMsPerBatch: number }> {
  const store = await openStore(url);
  await store.migrate();
  const template = JSON.stringify(batchOfFindings(50));
  const lat: number[] = [];
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      const agentId = randomUUID();
      // One object per caller, reused with a new id: ingest has read it by the time it resolves.
      const b = JSON.parse(template) as ReturnType<typeof batchOfFindings>;
      while (performance.now() < until) {
        b.batchId = randomUUID();
        b.agentId = agentId;
        b.createdAt = new Date().toISOString();
        const t = performance.now();
        await store.ingest(b, new Date().toISOString());
        lat.push(performance.now() - t);
      }
    }),
  );
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  await store.close();
  lat.sort((a, b) => a - b);
  const q = (p: number): number => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? 0;
  return {
    batches: lat.length,
    perSecond: (lat.length / ms) * 1000,
    p50: q(0.5),
    p99: q(0.99),
    cpuMsPerBatch: (cpu.user + cpu.system) / 1000 / lat.length,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const url = process.argv[2] ?? 'sqlite:/tmp/govscan-store-direct.db';
  const r = await storeDirect(url, Number(process.argv[3] ?? 5));
  console.log(JSON.stringify(r));
}
