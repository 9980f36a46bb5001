import { readFile } from 'node:fs/promises';
import { Flags } from '@oclif/core';
import { GovscanCommand, langFlag } from '../../cli/base.js';
import { InputError } from '../../core/errors.js';
import { DEFAULT_RATE_LIMITS } from '../../server/rate-limit-settings.js';
import { withEnvFlags } from '../../cli/env-flags.js';
import { dbFlag, openDatabase } from './shared.js';
import { S } from './messages.js';
import { localize } from '../../core/i18n/index.js';
import { displayInstant } from '../../core/i18n/dates.js';
import type { RetentionEvent } from '../../server/retention-schedule.js';
import { DEFAULT_QUEUE_SETTINGS } from '../../server/campaigns/queue.js';
import type { JobRunner } from '../../server/campaigns/pool.js';
import type { Lang } from '../../core/types.js';

export default class Server extends GovscanCommand {
  static override summary = "Run the SOC server: collect agents' batches, keep history, serve the API, exports, metrics and dashboard";
  static override description =
    `Migrates the database, then listens until SIGTERM or SIGINT (requests in flight finish first). Prints one line to stderr when ready: "govscan server listening on URL (db DIALECT)".

API under /api/v1 (bearer tokens): enroll, batches, overview, agencies, agents, systems, findings, history, trend, certificates, ipv6, export/{agency}.sarif|.json; admin: enrollments, tokens; campaigns (admin and soc tokens create and cancel, viewers read) and worker/jobs (worker tokens, for \`govscan worker\`). Also /healthz, /metrics and the dashboard at /.

Scan campaigns: one job per target per run, handed to workers under a lease (--campaign-lease), retried with backoff (--campaign-retry-delay) until --campaign-attempts, then kept dead with the reason; at most --campaign-per-address jobs of one address at once. With PostgreSQL the queue is pg-boss in the same database (schema pgboss) and any number of \`govscan worker\` processes scan; with SQLite the server scans itself (--campaign-pool). Jobs, progress and schedules are rows in the database: a restarted server resumes them.

Bounds per client: batches per agent token, enrolments per address and failed authentications per address, per minute (--ingest-limit, --enroll-limit, --auth-failure-limit; 429 with Retry-After above them); request bodies up to --body-limit bytes, nested at most 32 levels, objects of at most 1,000 keys, arrays of at most 100,000 items, strings of at most 256 KiB, a finding's evidence at most 64 KiB and an attempt's facts at most 1 MiB (400/413 above them).

Every flag can also be set in the environment as GOVSCAN_<FLAG> (GOVSCAN_LISTEN, GOVSCAN_RETAIN_DAYS, …), e.g. from a systemd EnvironmentFile; a flag given on the command line wins over its variable.

Exit codes: 0 stopped by a signal; 2 invalid flags, unreadable TLS files, a database that cannot be opened, or an address that cannot be listened on.`;
  static override examples = [
    '<%= config.bin %> server',
    '<%= config.bin %> server --db postgres://govscan:secret@127.0.0.1:5432/govscan --listen 0.0.0.0:8443 --tls-cert server.pem --tls-key server.key',
  ];
  static override flags = withEnvFlags({
    db: dbFlag,
    listen: Flags.string({
      default: '127.0.0.1:8080',
      helpValue: 'HOST:PORT',
      description: 'Address to listen on ([::1]:8080 for IPv6; port 0 picks a free one)',
    }),
    'tls-cert': Flags.string({ helpValue: 'FILE', description: 'Serve HTTPS with this certificate chain (PEM); needs --tls-key' }),
    'tls-key': Flags.string({ helpValue: 'FILE', description: 'Private key (PEM) of --tls-cert' }),
    'body-limit': Flags.integer({
      default: 8 * 1024 * 1024,
      min: 1024,
      max: 1024 * 1024 * 1024,
      helpValue: 'BYTES',
      description: 'Largest request body accepted (413 above it)',
    }),
    'stale-after': Flags.integer({
      default: 3,
      helpValue: 'N',
      min: 1,
      max: 1000,
      description: 'An agent is stale after N of its intervals without a batch',
    }),
    'metrics-public': Flags.boolean({ default: false, description: 'Serve /metrics without a token (for a scraper on a trusted network)' }),
    'ingest-limit': Flags.integer({
      default: DEFAULT_RATE_LIMITS.ingestPerMinute,
      min: 0,
      max: 1_000_000,
      helpValue: 'N',
      description: 'Batches per minute one agent token may upload (429 with Retry-After above it; 0: no limit)',
    }),
    'enroll-limit': Flags.integer({
      default: DEFAULT_RATE_LIMITS.enrollPerMinute,
      min: 0,
      max: 1_000_000,
      helpValue: 'N',
      description: 'Enrolment attempts per minute from one address (0: no limit)',
    }),
    'auth-failure-limit': Flags.integer({
      default: DEFAULT_RATE_LIMITS.authFailuresPerMinute,
      min: 0,
      max: 1_000_000,
      helpValue: 'N',
      description: 'Failed authentications (bad tokens or enrolment secrets) per minute from one address before it must wait (0: no limit)',
    }),
    'retain-days': Flags.integer({
      min: 1,
      max: 36_500,
      helpValue: 'N',
      description:
        "Delete reports older than N days, at start and every hour; each agent's latest report and the newest report of each scan target are kept whatever their age (default: keep everything)",
    }),
    'access-log': Flags.boolean({
      default: false,
      description:
        'Log every request as one JSON line on stderr: method, route, status, duration and the name of the token shown (never the token)',
    }),
    'campaign-lease': Flags.integer({
      min: 1,
      max: 86_400,
      helpValue: 'N',
      description:
        'A campaign job held N seconds without a result, a failure or a heartbeat returns to the queue (its worker died); PostgreSQL: heartbeats extend it from 10 s up (default 300)',
    }),
    'campaign-attempts': Flags.integer({
      min: 1,
      max: 100,
      helpValue: 'N',
      description: 'Attempts a campaign job gets before it is dead, kept with the reason of its last failure (default 3)',
    }),
    'campaign-retry-delay': Flags.integer({
      min: 1,
      max: 86_400,
      helpValue: 'N',
      description: 'Seconds to wait before retrying a failed campaign job, doubled at each further attempt up to 30 minutes (default 30)',
    }),
    'campaign-per-address': Flags.integer({
      min: 1,
      max: 1024,
      helpValue: 'N',
      description: 'Campaign jobs of one target address scanned at once, over all workers together (default 4)',
    }),
    'campaign-pool': Flags.integer({
      min: 0,
      max: 256,
      helpValue: 'N',
      description:
        'Campaign jobs the server scans itself at once (default: 4 with SQLite, so one machine needs no `govscan worker`; 0 with PostgreSQL, where workers scan)',
    }),
    lang: langFlag,
  });

  async run(): Promise<void> {
    const { flags } = await this.parse(Server);
    this.lang = flags.lang;
    const { host, port } = parseListen(flags.listen);
    let tls: { cert: string; key: string } | undefined;
    if (Boolean(flags['tls-cert']) !== Boolean(flags['tls-key'])) {
      throw InputError.unlocated(
        `${flags['tls-cert'] ? '--tls-key' : '--tls-cert'}: --tls-cert and --tls-key go together (certificate chain and its private key, PEM)`,
      );
    }
    if (flags['tls-cert'] && flags['tls-key']) {
      tls = { cert: await readPem('--tls-cert', flags['tls-cert']), key: await readPem('--tls-key', flags['tls-key']) };
    }
    const store = await openDatabase(flags.db);
    const [{ serveUntilSignalled }, { CampaignRuntime }] = await Promise.all([
      import('../../server/serve.js'),
      import('../../server/campaigns/runtime.js'),
    ]);
    const poolSize = flags['campaign-pool'] ?? (store.dialect === 'sqlite' ? DEFAULT_SQLITE_POOL : 0);
    // Defaults applied here, not as flag defaults: "[default: …, env: GOVSCAN_CAMPAIGN_…]" would not fit one help line.
    const retryDelay = flags['campaign-retry-delay'] ?? DEFAULT_QUEUE_SETTINGS.retryDelaySeconds;
    const perAddress = flags['campaign-per-address'] ?? DEFAULT_QUEUE_SETTINGS.perAddress;
    const campaigns = new CampaignRuntime({
      store,
      dbUrl: flags.db,
      settings: {
        leaseSeconds: flags['campaign-lease'] ?? DEFAULT_QUEUE_SETTINGS.leaseSeconds,
        maxAttempts: flags['campaign-attempts'] ?? DEFAULT_QUEUE_SETTINGS.maxAttempts,
        retryDelaySeconds: retryDelay,
        retryDelayMaxSeconds: Math.max(retryDelay, DEFAULT_QUEUE_SETTINGS.retryDelayMaxSeconds),
        perAddress,
      },
      ...(poolSize > 0 ? { pool: { size: poolSize, runner: await poolRunner(perAddress, this.lang) } } : {}),
      onError: (err) => process.stderr.write(localize(S.campaignTickFailed, this.lang, { message: oneLineOf(err) }) + '\n'),
    });
    try {
      await serveUntilSignalled({
        store,
        host,
        port,
        ...(tls ? { tls } : {}),
        bodyLimit: flags['body-limit'],
        staleAfterIntervals: flags['stale-after'],
        metricsPublic: flags['metrics-public'],
        accessLog: flags['access-log'],
        campaigns,
        ...(flags['retain-days'] === undefined
          ? {}
          : { retention: { days: flags['retain-days'], report: (e: RetentionEvent) => this.retentionLine(e) } }),
        rateLimits: {
          ingestPerMinute: flags['ingest-limit'],
          enrollPerMinute: flags['enroll-limit'],
          authFailuresPerMinute: flags['auth-failure-limit'],
        },
      });
    } catch (err) {
      await store.close().catch(() => undefined);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
        const why =
          { EADDRINUSE: 'the address is in use', EACCES: 'permission denied', EADDRNOTAVAIL: 'no such local address' }[code as string] ??
          code;
        throw InputError.unlocated(`--listen: cannot listen on ${flags.listen}: ${why}`);
      }
      if (tls && /PEM|key|certificate|ASN1|asn1|decoder/i.test((err as Error).message)) {
        throw InputError.unlocated(`--tls-cert/--tls-key: ${(err as Error).message.split('\n')[0]}`);
      }
      throw err;
    }
  }

  /** What a retention run did, on stderr beside the listening line (nothing when it deleted nothing). */
  private retentionLine(e: RetentionEvent): void {
    if ('error' in e) process.stderr.write(localize(S.retentionFailed, this.lang, { message: e.error.message.split('\n')[0] }) + '\n');
    else if (e.reports > 0)
      process.stderr.write(
        localize(S.retentionPruned, this.lang, { count: e.reports, before: displayInstant(e.before, this.lang) }) + '\n',
      );
  }
}

export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || !(port >= 0 && port <= 65535)) {
    throw InputError.unlocated(`--listen: ${JSON.stringify(value)} is not HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080, 0.0.0.0:8443)`);
  }
  return { host: (m[1] ?? m[2]) as string, port };
}

async function readPem(flag: string, file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw InputError.unlocated(`${flag}: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (!text.includes('-----BEGIN ')) throw InputError.unlocated(`${flag}: ${file} is not a PEM file`);
  return text;
}

function oneLineOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

/** Jobs the embedded (SQLite) server scans at once unless --campaign-pool says otherwise. */
const DEFAULT_SQLITE_POOL = 4;
/** Per-connection timeout of the pool's scans when the campaign sets none (as `govscan scan`). */
const POOL_TIMEOUT_MS = 5000;

/**
 * The in-process pool scans jobs as `govscan worker` does (the engine's scanJob), with one dialer for
 * all its jobs so the per-address limit holds across them; pins come from each campaign.
 */
async function poolRunner(perAddress: number, lang: Lang): Promise<JobRunner> {
  const [{ scanJob }, { NetDialer }] = await Promise.all([import('../../engine/campaign-job.js'), import('../../core/net/dialer.js')]);
  const settings = {
    resolve: [],
    caFiles: [],
    caPins: [],
    dnsServers: [],
    timeoutMs: POOL_TIMEOUT_MS,
    dialer: new NetDialer(perAddress),
    lang,
  };
  return (job, signal) => scanJob(job, settings, signal);
}
