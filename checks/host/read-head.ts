// The first bytes of a configured file: a path that names something huge (or /dev/zero) costs at
// most `max` bytes of memory, never the whole file.

import { open } from 'node:fs/promises';

export async function readHead(path: string, max: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await handle.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
