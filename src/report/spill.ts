// A scan's attempts (facts included) and findings, on disk as each target completes, so a JSON
// report of 10,000 targets is never whole in memory: the scan keeps a lean report (facts dropped,
// passes counted) and the JSON writer streams these sections back in report order (json.ts
// jsonChunks).
//
// Elements are stored already rendered as the report will show them (json.ts jsonElement), not as
// NDJSON: writing the report is then copying bytes, with no second parse and stringify of every
// fact. An index of (offset, length) per target gives report order whatever order targets finished in.
//
// The file is unlinked as soon as it is open where the system allows it (POSIX): it then disappears
// with the process however that ends (Ctrl-C twice, SIGKILL, a crash). Elsewhere close() removes it.

import { openSync, closeSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Attempt, Finding } from '../core/types.js';
import { jsonElement, type SpilledSection, type SpilledSections } from './json.js';

interface Extent {
  offset: number;
  /** Bytes of the target's attempts, then of its findings, stored back to back from `offset`. */
  attempts: number;
  findings: number;
}

const SEPARATOR = Buffer.from(',\n');
/** Reads are gathered up to this size, so a section streams in few system calls. */
const READ_CHUNK = 1 << 20;

export class ReportSpill implements SpilledSections {
  private readonly extents: (Extent | undefined)[] = [];
  private end = 0;
  private readonly counts: Record<SpilledSection, number> = { attempts: 0, findings: 0 };
  private fd: number | null;
  private unlinked: boolean;

  private constructor(
    readonly file: string,
    fd: number,
    unlinked: boolean,
  ) {
    this.fd = fd;
    this.unlinked = unlinked;
  }

  /**
   * A new spill file in `dir`: next to the report being written (same file system, and /tmp may be
   * memory), or the system's temporary directory when the report goes to stdout.
   */
  static open(dir: string, name = 'govscan'): ReportSpill {
    const file = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.spill`);
    // 'wx+': a fresh file never shared with anyone; 0o600: facts may name internal systems.
    const fd = openSync(file, 'wx+', 0o600);
    let unlinked = false;
    try {
      unlinkSync(file);
      unlinked = true;
    } catch {
      // Windows refuses to remove an open file: close() does it.
    }
    return new ReportSpill(file, fd, unlinked);
  }

  /**
   * One completed target's attempts and findings; `order` is its place in the report's target list.
   * Written synchronously: the scan's memory stays bounded whatever the disk's speed, and writes to
   * the page cache cost little next to a target's handshakes.
   */
  add(order: number, attempts: readonly Attempt[], findings: readonly Finding[]): void {
    const fd = this.handle();
    if (this.extents[order]) throw new Error(`target #${order} was spilled twice`);
    const a = Buffer.from(attempts.map(jsonElement).join(',\n'));
    const f = Buffer.from(findings.map(jsonElement).join(',\n'));
    const offset = this.end;
    writeFully(fd, a, offset);
    writeFully(fd, f, offset + a.length);
    this.end += a.length + f.length;
    this.extents[order] = { offset, attempts: a.length, findings: f.length };
    this.counts.attempts += attempts.length;
    this.counts.findings += findings.length;
  }

  size(name: SpilledSection): number {
    return this.counts[name];
  }

  /** The section's elements in target order, separated by `,\n`, read back in pieces of about 1 MiB. */
  async *section(name: SpilledSection): AsyncGenerator<Uint8Array> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let any = false;
    for (const extent of this.extents) {
      const length = extent?.[name];
      if (!extent || !length) continue;
      if (any) pending.push(SEPARATOR);
      any = true;
      pending.push(this.read(name === 'attempts' ? extent.offset : extent.offset + extent.attempts, length));
      pendingBytes += length;
      if (pendingBytes >= READ_CHUNK) {
        yield Buffer.concat(pending);
        pending = [];
        pendingBytes = 0;
        // Lets other work (progress, signals, the output stream's drain) run between pieces.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    if (pending.length) yield Buffer.concat(pending);
  }

  /** Closes the file and removes it if it is still there; safe to call more than once. */
  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    if (!this.unlinked) {
      try {
        unlinkSync(this.file);
      } catch {
        // Already gone.
      }
      this.unlinked = true;
    }
  }

  private read(from: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.handle(), buf, done, length - done, from + done);
      if (n === 0) throw new Error(`spill file ${this.file} ended early`);
      done += n;
    }
    return buf;
  }

  private handle(): number {
    if (this.fd === null) throw new Error('the report spill is closed');
    return this.fd;
  }
}

function writeFully(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, position + done);
}
