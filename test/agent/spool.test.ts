// The spool never holds half a batch: a write is tmp + fsync + rename, so a crash between write and
// rename leaves only an ignored .tmp; batches come out oldest first; the size cap drops the oldest
// and says how many in the log.

import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Spool } from '../../agent/spool.js';
import { encodeAsciiJson } from '../../src/contract/wire.js';
import { memoryLog } from '../../agent/log.js';
import { smallBatch } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-spool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function clock(start = 1_700_000_000_000): () => number {
  let t = start;
  return () => (t += 1000);
}

describe('spool', () => {
  it('writes each batch whole, readable only by the agent, and lists them oldest first', async () => {
    const log = memoryLog();
    const spool = await new Spool(dir, { maxBytes: 1 << 20, log, now: clock() }).open();
    const batches = [smallBatch(), smallBatch(), smallBatch()];
    for (const b of batches) await spool.add(b);
    const listed = await spool.list();
    expect(listed.map((e) => e.batchId)).toEqual(batches.map((b) => b.batchId));
    for (const [i, e] of listed.entries()) {
      expect(JSON.parse((await spool.read(e)).toString('utf8'))).toEqual(batches[i]);
      expect((await stat(e.file)).mode & 0o777).toBe(0o600);
    }
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    // Nothing half-written is left behind, and nothing was logged.
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(log.lines).toEqual([]);
  });

  it('after a crash between write and rename holds no batch, and ignores then sweeps the unfinished file', async () => {
    const batch = smallBatch();
    const script = fileURLToPath(new URL('./fixtures/crash-before-rename.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, dir, JSON.stringify(batch)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    expect(out).toBe('');
    const left = (await readdir(dir)).filter((n) => n !== 'rejected');
    // The flushed temporary file is there, complete, but it is not a batch.
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/\.tmp$/);
    expect(JSON.parse(await readFile(join(dir, left[0] ?? ''), 'utf8'))).toEqual(batch);

    const log = memoryLog();
    const spool = await new Spool(dir, { maxBytes: 1 << 20, log }).open();
    expect(await spool.list()).toEqual([]);
    // Once old enough to be no live writer's, the sweep removes it and says so.
    const sweeper = await new Spool(dir, { maxBytes: 1 << 20, log, staleTmpMs: -1000 }).open();
    expect(await readdir(dir)).toEqual(['rejected']);
    expect(log.lines).toEqual(['govscan-agent: removed 1 unfinished spool file(s) left by an interrupted write']);
    await sweeper.add(batch);
    expect((await sweeper.list()).map((e) => e.batchId)).toEqual([batch.batchId]);
  });

  it('ignores a partial .tmp file and anything else that is not a finished batch', async () => {
    const spool = await new Spool(dir, { maxBytes: 1 << 20, log: memoryLog() }).open();
    const good = smallBatch();
    await spool.add(good);
    await writeFile(join(dir, `.000001700000000000-0001-${good.batchId}.batch.json.1234.abcd.tmp`), '{"schemaVersion":1,"batchId":"');
    await writeFile(join(dir, 'notes.txt'), 'hello');
    await writeFile(join(dir, '000001700000000000-0001-not-a-uuid.batch.json'), '{}');
    expect((await spool.list()).map((e) => e.batchId)).toEqual([good.batchId]);
  });

  it('over its cap drops the oldest batches, keeps the newest, and logs how many', async () => {
    const log = memoryLog();
    const one = encodeAsciiJson(smallBatch()).length;
    const spool = await new Spool(dir, { maxBytes: one * 3 + 10, log, now: clock() }).open();
    const batches = Array.from({ length: 5 }, () => smallBatch());
    for (const b of batches) await spool.add(b);
    expect((await spool.list()).map((e) => e.batchId)).toEqual(batches.slice(2).map((b) => b.batchId));
    expect(log.lines).toHaveLength(2);
    expect(log.lines[0]).toBe(
      `govscan-agent [warn]: spool over its cap of ${one * 3 + 10} bytes: dropped the 1 oldest batch(es) (${one} bytes): ${batches[0]?.batchId}`,
    );
    expect(log.lines[1]).toContain(`dropped the 1 oldest batch(es) (${one} bytes): ${batches[1]?.batchId}`);

    // A batch larger than the whole cap is still kept (it is the newest); everything older goes.
    const big = smallBatch({ agent: { version: '0.1.0', hostname: 'x'.repeat(one * 4), intervalSeconds: 3600 } });
    await spool.add(big);
    expect((await spool.list()).map((e) => e.batchId)).toEqual([big.batchId]);
    expect(log.lines[2]).toMatch(/dropped the 3 oldest batch\(es\)/);
  });

  it('speaks Vietnamese when asked', async () => {
    const log = memoryLog('vi');
    const spool = await new Spool(dir, { maxBytes: 1024, log, now: clock() }).open();
    await spool.add(smallBatch());
    await spool.add(smallBatch());
    expect(log.lines[0]).toMatch(/^govscan-agent \[warn\]: hàng đợi vượt giới hạn 1024 byte: đã xóa 1 lô cũ nhất/);
  });
});
