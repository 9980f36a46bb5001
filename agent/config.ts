// The agent's configuration (YAML, validated by the schema of config-schema.ts): every complaint is one line
// `file:line:col: what is wrong`, before anything runs. The result is plain JSON data, so the small
// loop process can take it from a child that did the parsing (yaml and ajv never load in the loop).

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { AgentConfigDocumentSchema as schema, type AgentConfigDocument } from './config-schema.js';
import { InputError } from '../src/core/errors.js';
import { compileSchema, dottedPath, schemaErrors } from '../src/core/schema-errors.js';
import { errorAt, parseYamlOrThrow, type PathSegment, type YamlSource } from '../src/core/yaml-source.js';
import type { SystemRef } from '../src/core/types.js';
import { parseCollector, type ForwarderSetting } from '../checks/host/probe-forwarders.js';

const DEFAULT_STATE_DIRECTORY = '/var/lib/govscan-agent';
const MIN_INTERVAL_SECONDS = 60;

export interface AgentConfig {
  /** The file it came from; null when built from defaults alone. */
  file: string | null;
  server: { url: string | null; caFiles: string[]; timeoutMs: number };
  stateDirectory: string;
  tokenFile: string;
  spool: { directory: string; maxBytes: number };
  schedule: { intervalSeconds: number; jitterSeconds: number };
  upload: { maxAttempts: number; backoffMs: number; maxBackoffMs: number };
  scan: {
    inventory: string | null;
    policies: string[];
    caFiles: string[];
    caPins: string[];
    resolve: string[];
    dnsServers: string[];
    lab: boolean;
    /** --tls-quick for the agent's scans. */
    tlsQuick: boolean;
    legalBasis: string | null;
    timeoutMs: number;
    concurrency: number;
  };
  host: {
    name: string | null;
    system: SystemRef | null;
    certificateFiles: string[];
    forwarders: ForwarderSetting[];
    procRoot: string;
  };
}

type Duration = number | string;
type ConfigDocument = AgentConfigDocument;

let validator: ReturnType<typeof compileSchema<ConfigDocument>> | undefined;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

function seconds(d: Duration | undefined, fallback: number): number {
  if (d === undefined) return fallback;
  if (typeof d === 'number') return d;
  const m = /^(\d+)([smhd])$/.exec(d);
  return m ? Number(m[1]) * (UNIT_SECONDS[m[2] ?? 's'] ?? 1) : fallback;
}

/** Read and validate a configuration file. Throws InputError (exit 2). */
export async function loadAgentConfig(file: string): Promise<AgentConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw InputError.inFile(file, `cannot read the configuration: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseAgentConfig(text, file);
}

export function parseAgentConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const { source, value } = parseYamlOrThrow(text, file);
  // An empty file is a valid configuration: every default applies.
  const doc = value ?? {};
  validator ??= compileSchema<ConfigDocument>(schema);
  if (!validator(doc)) {
    const [first] = schemaErrors(validator.errors ?? [], doc, source, { describePath: (path) => dottedPath(path) || 'configuration' });
    throw first ?? new InputError(file, 1, 1, 'invalid configuration');
  }
  const config = resolveConfig(doc, file, env);
  checkSemantics(config, source);
  checkServerAnchors(config.server.caFiles, source);
  return config;
}

/** The server's anchors are read at every delivery: a missing or empty file is a configuration error now, not a failed upload later. */
function checkServerAnchors(files: readonly string[], source: YamlSource): void {
  files.forEach((f, i) => {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (err) {
      throw errorAt(
        source,
        ['server', 'caFiles', i],
        `server.caFiles[${i}]: cannot read ${f}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
    }
    if (!/-----BEGIN CERTIFICATE-----/.test(text))
      throw errorAt(source, ['server', 'caFiles', i], `server.caFiles[${i}]: ${f} holds no PEM certificate`);
  });
}

/** The configuration of an agent run without a file (enrolment needs no more). */
export function defaultAgentConfig(env: NodeJS.ProcessEnv = process.env): AgentConfig {
  return resolveConfig({}, null, env);
}

// Judged on the resolved values, so each default is written once (in resolveConfig).
function checkSemantics(config: AgentConfig, source: YamlSource): void {
  const fail = (path: PathSegment[], detail: string): never => {
    throw errorAt(source, path, `${dottedPath(path)}: ${detail}`);
  };
  const interval = config.schedule.intervalSeconds;
  if (interval < MIN_INTERVAL_SECONDS) fail(['schedule', 'interval'], `must be at least ${MIN_INTERVAL_SECONDS}s (got ${interval}s)`);
  if (config.server.timeoutMs < 1000) fail(['server', 'timeout'], 'must be at least 1s');
  if (config.server.url !== null && !URL.canParse(config.server.url)) fail(['server', 'url'], `"${config.server.url}" is not a valid URL`);
  config.host.forwarders.forEach((f, i) => {
    const { port } = parseCollector(f.collector);
    if (!(port >= 1 && port <= 65535)) fail(['host', 'forwarders', i, 'collector'], `port must be 1–65535 (got ${port})`);
  });
  if (config.upload.maxBackoffMs < config.upload.backoffMs)
    fail(['upload', 'maxBackoff'], `must not be shorter than upload.backoff (${config.upload.backoffMs / 1000}s)`);
}

function resolveConfig(doc: ConfigDocument, file: string | null, env: NodeJS.ProcessEnv): AgentConfig {
  const base = file ? dirname(resolve(file)) : process.cwd();
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  // systemd's StateDirectory= sets $STATE_DIRECTORY (possibly several, colon-separated: the first is ours).
  const state = doc.stateDirectory ? path(doc.stateDirectory) : env.STATE_DIRECTORY?.split(':')[0] || DEFAULT_STATE_DIRECTORY;
  const scan = doc.scan ?? {};
  const host = doc.host ?? {};
  return {
    file: file ? resolve(file) : null,
    server: {
      url: doc.server?.url ? doc.server.url.replace(/\/+$/, '') : null,
      caFiles: (doc.server?.caFiles ?? []).map(path),
      timeoutMs: seconds(doc.server?.timeout, 30) * 1000,
    },
    stateDirectory: state,
    tokenFile: doc.tokenFile ? path(doc.tokenFile) : resolve(state, 'token.json'),
    spool: {
      directory: doc.spool?.directory ? path(doc.spool.directory) : resolve(state, 'spool'),
      maxBytes: doc.spool?.maxBytes ?? 256 * 1024 * 1024,
    },
    schedule: { intervalSeconds: seconds(doc.schedule?.interval, 3600), jitterSeconds: seconds(doc.schedule?.jitter, 300) },
    upload: {
      maxAttempts: doc.upload?.maxAttempts ?? 5,
      backoffMs: seconds(doc.upload?.backoff, 2) * 1000,
      maxBackoffMs: seconds(doc.upload?.maxBackoff, 300) * 1000,
    },
    scan: {
      inventory: scan.inventory ? path(scan.inventory) : null,
      // A policy argument is a built-in id unless it looks like a file.
      policies: (scan.policies ?? []).map((p) => (/[/\\]|\.ya?ml$|\.json$/i.test(p) ? path(p) : p)),
      caFiles: (scan.caFiles ?? []).map(path),
      caPins: scan.caPins ?? [],
      resolve: scan.resolve ?? [],
      dnsServers: scan.dnsServers ?? [],
      lab: scan.lab ?? false,
      tlsQuick: scan.tlsQuick ?? false,
      legalBasis: scan.legalBasis ?? null,
      timeoutMs: scan.timeoutMs ?? 5000,
      concurrency: scan.concurrency ?? 16,
    },
    host: {
      name: host.name ?? null,
      system: host.system ? { ...host.system } : null,
      certificateFiles: (host.certificateFiles ?? []).map(path),
      forwarders: (host.forwarders ?? []).map((f) => ({ name: f.name, collector: f.collector, configFiles: f.configFiles.map(path) })),
      procRoot: host.procRoot ? path(host.procRoot) : '/proc',
    },
  };
}
