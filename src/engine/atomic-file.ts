// Files written whole or not at all: a temporary file in the same directory, flushed to disk, then
// renamed over the target, and the directory flushed so the rename itself survives a power cut.
// Reports (a crash mid-write must not leave half a SARIF file), the agent's token and its spool.

import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Suffix of files still being written; readers skip them. */
export const TMP_SUFFIX = '.tmp';

export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  return writeChunksAtomic(file, [data], { mode });
}

export interface AtomicWriteOptions {
  /** Permission bits from creation (default 0o600). */
  mode?: number;
  /** Abandons the write: the temporary file is removed, the target left as it was. */
  signal?: AbortSignal;
}

/**
 * The same, for a file produced piece by piece (a JSON report streamed from its spill): only one
 * piece is in memory at a time, and the target appears only once the last one is on disk.
 */
export async function writeChunksAtomic(
  file: string,
  chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}${TMP_SUFFIX}`);
  // 'wx': never follow or reuse an existing file; the mode applies from creation, so a token is
  // never readable by others, not even for a moment.
  const handle = await open(tmp, 'wx', opts.mode ?? 0o600);
  try {
    for await (const chunk of chunks) {
      opts.signal?.throwIfAborted();
      // On a handle, writeFile writes at the current position: the pieces follow one another.
      await handle.writeFile(chunk);
    }
    opts.signal?.throwIfAborted();
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  await rename(tmp, file);
  await syncDirectory(dir);
}

/** A text file others may read (the umask applies, as for any new file), ending with a newline. */
export function writeTextAtomic(file: string, text: string): Promise<void> {
  return writeFileAtomic(file, text.endsWith('\n') ? text : text + '\n', 0o666);
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}
