// Files written whole or not at all: a temporary file in the same directory, flushed to disk, then
// renamed over the target, and the directory flushed so the rename itself survives a power cut.
// Reports (a crash mid-write must not leave half a SARIF file), the agent's token and its spool.
//
// A report's --output may also name something that is not a file to replace: `/dev/null`, a FIFO,
// a socket, `/dev/stdout`. Renaming over those (as root) replaced the device node or the link with
// a regular file, so report writers (writeChunksAtomic, writeTextAtomic) write them directly; a
// symbolic link is followed and its target replaced, the link itself left as it was.

import { createWriteStream } from 'node:fs';
import { access, constants, lstat, open, readlink, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Suffix of files still being written; readers skip them. */
export const TMP_SUFFIX = '.tmp';

/** The agent's token and spool entries: always a new file renamed into place, whatever was there. */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  return replaceAtomically(file, [data], { mode });
}

export interface AtomicWriteOptions {
  /** Permission bits from creation (default 0o600). */
  mode?: number;
  /** Abandons the write: the temporary file is removed, the target left as it was. */
  signal?: AbortSignal;
}

type Chunks = Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/**
 * A report produced piece by piece (a JSON report streamed from its spill): only one piece is in
 * memory at a time. A file (new, or regular, possibly behind symbolic links) appears only once the
 * last piece is on disk; a device, FIFO, socket or standard stream is written in place.
 */
export async function writeChunksAtomic(file: string, chunks: Chunks, opts: AtomicWriteOptions = {}): Promise<void> {
  const target = await outputTarget(file);
  if (target.kind === 'file') return replaceAtomically(target.path, chunks, opts);
  if (target.fd !== undefined) return writeToDescriptor(target.fd, chunks, opts.signal);
  return writeInPlace(target.path, chunks, opts.signal);
}

/** A report as text, ending with a newline; see writeChunksAtomic. Others may read it (the umask applies). */
export function writeTextAtomic(file: string, text: string): Promise<void> {
  return writeChunksAtomic(file, [text.endsWith('\n') ? text : text + '\n'], { mode: 0o666 });
}

/** Where an output really goes: a file to replace atomically, or a stream written in place. */
export interface OutputTarget {
  kind: 'file' | 'stream';
  /** For a file, the path after symbolic links: the rename happens there and the links stay. */
  path: string;
  /** The file exists already (a regular file); false for a new one. */
  exists: boolean;
  /** A descriptor of this process the path names (`/dev/stdout`): written as it is, not reopened. */
  fd?: number;
}

// `/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/1`: whatever they point at (a pipe, a socket, a
// terminal, or a file the shell opened, perhaps for appending), the open descriptor is the
// destination. Reopening it would fail for a socket (ENXIO) and start over a file opened to append.
const DESCRIPTOR_PATH = /^\/(?:dev\/(?:(stdin|stdout|stderr)|fd\/(\d+))|proc\/(self|thread-self|\d+)\/fd\/(\d+))$/;
const STANDARD_FDS: Record<string, number> = { stdin: 0, stdout: 1, stderr: 2 };
const MAX_LINKS = 40;

function descriptorPath(path: string): { fd?: number } | null {
  const m = DESCRIPTOR_PATH.exec(path);
  if (!m) return null;
  const [, standard, devFd, proc, procFd] = m;
  if (standard) return { fd: STANDARD_FDS[standard] ?? 1 };
  if (devFd) return { fd: Number(devFd) };
  // Another process's descriptor can only be reopened by its path.
  return proc === 'self' || proc === 'thread-self' || Number(proc) === process.pid ? { fd: Number(procFd) } : {};
}

export async function outputTarget(file: string): Promise<OutputTarget> {
  let path = resolve(file);
  for (let hops = 0; ; hops++) {
    const descriptor = descriptorPath(path);
    if (descriptor) return { kind: 'stream', path: file, exists: true, ...descriptor };
    const info = await lstat(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (!info) return { kind: 'file', path, exists: false };
    if (info.isSymbolicLink()) {
      if (hops >= MAX_LINKS) throw Object.assign(new Error(`${file}: too many levels of symbolic links`), { code: 'ELOOP' });
      path = resolve(dirname(path), await readlink(path));
      continue;
    }
    if (info.isFile()) return { kind: 'file', path, exists: true };
    if (info.isDirectory()) throw Object.assign(new Error(`${file}: is a directory`), { code: 'EISDIR' });
    return { kind: 'stream', path, exists: true };
  }
}

/** Why an output could not be written, found before any work is done; null when it can be. */
export interface OutputProblem {
  /** The folder that cannot be written in, or the file itself (a directory, a read-only device). */
  path: string;
  where: 'folder' | 'file';
  why:
    | 'no such directory'
    | 'not a directory'
    | 'is a directory'
    | 'permission denied'
    | 'read-only file system'
    | 'too many symbolic links';
}

/**
 * Checks that `path` can be written as a report file (`kind: 'file'`), or as a folder that is created
 * if missing and then written in (`kind: 'folder'`, e.g. --sarif-dir). Nothing is created.
 */
export async function outputProblem(path: string, kind: 'file' | 'folder'): Promise<OutputProblem | null> {
  if (kind === 'folder') return folderProblem(resolve(path));
  let target: OutputTarget;
  try {
    target = await outputTarget(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { path, where: 'file', why: 'is a directory' };
    if (code === 'ELOOP') return { path, where: 'file', why: 'too many symbolic links' };
    const folder = dirname(resolve(path));
    return { path: folder, where: 'folder', why: whyNot(code) };
  }
  // An open descriptor needs no check: writing to it is what the shell set it up for.
  if (target.fd !== undefined) return null;
  if (target.kind === 'stream') {
    const code = await accessDenied(target.path, constants.W_OK);
    return code ? { path, where: 'file', why: whyNot(code) } : null;
  }
  const folder = dirname(target.path);
  const info = await stat(folder).catch(() => null);
  if (!info) return { path: folder, where: 'folder', why: 'no such directory' };
  if (!info.isDirectory()) return { path: folder, where: 'folder', why: 'not a directory' };
  // The temporary file is created in the folder and renamed there: the folder must be writable.
  const code = await accessDenied(folder, constants.W_OK | constants.X_OK);
  return code ? { path: folder, where: 'folder', why: whyNot(code) } : null;
}

/** A folder to write in, created (with its parents) when missing: the nearest existing one decides. */
async function folderProblem(folder: string): Promise<OutputProblem | null> {
  let existing = folder;
  for (;;) {
    const info = await stat(existing).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' || err.code === 'ENOTDIR' ? null : err));
    if (info instanceof Error) return { path: existing, where: 'folder', why: whyNot(info.code) };
    if (info) {
      if (!info.isDirectory()) return { path: existing, where: 'folder', why: 'not a directory' };
      break;
    }
    const parent = dirname(existing);
    if (parent === existing) return { path: folder, where: 'folder', why: 'no such directory' };
    existing = parent;
  }
  const code = await accessDenied(existing, constants.W_OK | constants.X_OK);
  return code ? { path: existing, where: 'folder', why: whyNot(code) } : null;
}

/** The error code access(2) gives for `mode` on `path`, null when allowed. */
function accessDenied(path: string, mode: number): Promise<string | null> {
  return access(path, mode).then(
    () => null,
    (err: NodeJS.ErrnoException) => err.code ?? 'EACCES',
  );
}

function whyNot(code: string | undefined): OutputProblem['why'] {
  if (code === 'ENOENT') return 'no such directory';
  if (code === 'ENOTDIR') return 'not a directory';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ELOOP') return 'too many symbolic links';
  return 'permission denied';
}

/** A device, FIFO, socket or descriptor: opened for writing and written, nothing renamed or removed. */
async function writeInPlace(path: string, chunks: Chunks, signal: AbortSignal | undefined): Promise<void> {
  const handle = await open(path, 'w');
  try {
    for await (const chunk of chunks) {
      signal?.throwIfAborted();
      await handle.writeFile(chunk);
    }
    signal?.throwIfAborted();
  } finally {
    await handle.close();
  }
}

/** Standard output and error go through their streams (pipes, sockets, terminals); other descriptors by write(2). */
async function writeToDescriptor(fd: number, chunks: Chunks, signal: AbortSignal | undefined): Promise<void> {
  const stream = fd === 1 ? process.stdout : fd === 2 ? process.stderr : createWriteStream('', { fd, autoClose: false });
  for await (const chunk of chunks) {
    signal?.throwIfAborted();
    await new Promise<void>((done, fail) => stream.write(chunk, (err) => (err ? fail(err) : done())));
  }
  signal?.throwIfAborted();
}

/** The temporary-file-and-rename write itself, for a path known to be a regular file or a new one. */
async function replaceAtomically(file: string, chunks: Chunks, opts: AtomicWriteOptions): Promise<void> {
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
