// The SOC/NCSC log forwarder's configuration (rsyslog, syslog-ng, Fluent Bit, Wazuh agent…): are the
// configured files there, and does one of them name the collector's host and port. The agent does
// not dial the collector here: the 4-layer check already probes reachability from the inventory.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ForwarderFacts, ForwarderFileFacts } from './facts.js';
import { readHead } from './read-head.js';

export interface ForwarderSetting {
  name: string;
  /** host:port, [IPv6]:port. */
  collector: string;
  /** Files, or directories whose files are all read (not recursively). */
  configFiles: string[];
}

const MAX_BYTES = 1024 * 1024;
const MAX_FILES_PER_DIRECTORY = 64;

export function parseCollector(collector: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(collector) ?? /^([^:\s]+):(\d+)$/.exec(collector);
  return { host: (m?.[1] ?? collector).toLowerCase(), port: Number(m?.[2] ?? 0) };
}

export async function probeForwarder(setting: ForwarderSetting): Promise<ForwarderFacts> {
  const { host, port } = parseCollector(setting.collector);
  const files: ForwarderFileFacts[] = [];
  for (const path of setting.configFiles) files.push(...(await filesOf(path, host, port)));
  return {
    name: setting.name,
    collector: setting.collector,
    host,
    port,
    files,
    configured: files.some((f) => f.status === 'ok' && f.mentionsHost && f.mentionsPort),
  };
}

async function filesOf(path: string, host: string, port: number): Promise<ForwarderFileFacts[]> {
  let isDirectory = false;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (err) {
    return [absent(path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable')];
  }
  if (!isDirectory) return [await inspect(path, host, port)];
  let names: string[];
  try {
    names = (await readdir(path, { withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  } catch {
    return [absent(path, 'unreadable')];
  }
  if (!names.length) return [absent(path, 'missing')];
  return Promise.all(names.slice(0, MAX_FILES_PER_DIRECTORY).map((n) => inspect(join(path, n), host, port)));
}

function absent(path: string, status: 'missing' | 'unreadable'): ForwarderFileFacts {
  return { path, status, mentionsHost: false, mentionsPort: false };
}

async function inspect(path: string, host: string, port: number): Promise<ForwarderFileFacts> {
  let text: string;
  try {
    text = (await readHead(path, MAX_BYTES)).toString('utf8').toLowerCase();
  } catch (err) {
    return absent(path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable');
  }
  return {
    path,
    status: 'ok',
    mentionsHost: host !== '' && text.includes(host),
    mentionsPort: port > 0 && new RegExp(`(^|[^0-9])${port}([^0-9]|$)`, 'm').test(text),
  };
}
