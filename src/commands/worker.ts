import { hostname } from 'node:os';
import { Flags } from '@oclif/core';
import { GovscanCommand, langFlag, repeatable } from '../cli/base.js';
import { withEnvFlags } from '../cli/env-flags.js';
import { InputError } from '../core/errors.js';
import { FAMILY_OPTIONS } from '../engine/registry.js';
import { familyFlags, familyFlagValues } from '../cli/family-flags.js';

export default class Worker extends GovscanCommand {
  static override summary =
    'Scan campaign jobs from a govscan server: claim targets, scan them as `govscan scan` does, hand back the reports';
  static override description =
    `Takes jobs of the server's scan campaigns (\`govscan campaign create\`) over HTTP with a worker token (\`govscan server token create --role worker\`), scans each target with the campaign's packs and options, and hands back the report, which the server stores once as a report of the campaign's agency. A target no probe could reach is handed back as a failure with the probes' reasons: the server retries it with backoff and, after its last attempt, keeps it dead with that reason.

Run as many workers as needed, on as many machines: each takes its own jobs. While the server cannot be reached (a restart), the worker waits with backoff for --retry-for seconds before it gives up. SIGTERM or SIGINT: no new jobs, the running ones finish and are handed in, then exit 0; a second signal stops the running scans and hands their jobs back to the queue.

Every flag can also be set in the environment as GOVSCAN_<FLAG> (GOVSCAN_SERVER, GOVSCAN_TOKEN_FILE, …). HTTPS_PROXY/HTTP_PROXY/NO_PROXY apply to the server connection.

Exit codes: 0 stopped by a signal (or idle with --exit-when-idle); 2 invalid flags or token file; 3 the token was refused or the server stayed unreachable.`;
  static override examples = [
    '<%= config.bin %> worker --server https://soc.example.gov.vn:8443 --token-file /etc/govscan/worker.token',
    '<%= config.bin %> worker --server http://127.0.0.1:8080 --token-file worker.token --concurrency 16 --name scan-01',
  ];
  static override flags = withEnvFlags({
    server: Flags.string({ required: true, helpValue: 'URL', description: 'govscan server URL' }),
    'token-file': Flags.string({
      required: true,
      helpValue: 'FILE',
      description: 'File holding a worker token (`govscan server token create --role worker`)',
    }),
    'server-ca': Flags.string({
      helpValue: 'FILE',
      description: "CA certificate(s) (PEM) that issued the server's certificate, for a private CA",
    }),
    concurrency: Flags.integer({ default: 8, min: 1, max: 256, description: 'Jobs scanned at once' }),
    name: Flags.string({
      helpValue: 'NAME',
      description: 'Name of this worker on the server (default: HOSTNAME:PID)',
    }),
    'poll-interval': Flags.integer({
      default: 2000,
      min: 50,
      max: 600_000,
      helpValue: 'MS',
      description: 'Pause between requests for jobs while the queue is empty',
    }),
    'retry-for': Flags.integer({
      default: 600,
      min: 1,
      max: 86_400,
      helpValue: 'SECONDS',
      description: 'How long to wait for a server that does not answer before giving up',
    }),
    'exit-when-idle': Flags.boolean({
      default: false,
      description: 'Exit 0 once the server has no job to hand out and none is running',
    }),
    timeout: Flags.integer({
      default: 5000,
      min: 50,
      max: 600_000,
      description: 'Per-connection timeout in ms when the campaign sets none',
    }),
    'per-host': Flags.integer({ default: 4, min: 1, max: 1024, description: 'Connections at once to one address, over all jobs' }),
    resolve: repeatable({
      description: "HOST:PORT:ADDRESS — pins of this worker's network, after the campaign's own (as `scan --resolve`)",
    }),
    'ca-file': repeatable({ description: 'Extra trust anchors (PEM) for the scanned targets, judged apart from the public store' }),
    'ca-pin': repeatable({ description: 'SHA-256 fingerprint every --ca-file anchor must match' }),
    'dns-server': repeatable({ description: 'DNS server to ask, IP[:PORT] (as `scan --dns-server`); repeatable' }),
    // --lab, --port-map, --ipv6-connectivity, --nmap, --tls-quick: the check families' own flags, this machine's settings.
    ...familyFlags(FAMILY_OPTIONS),
    lang: langFlag,
  });

  async run(): Promise<void> {
    const { flags } = await this.parse(Worker);
    this.lang = flags.lang;
    const [
      { readCaFile, readTokenFile },
      { createLog },
      { NetDialer },
      { WorkerClient, TokenRefused, ServerUnavailable },
      loop,
      { WORKER_MESSAGES: M },
    ] = await Promise.all([
      import('../cli/credential-files.js'),
      import('../../agent/log.js'),
      import('../core/net/dialer.js'),
      import('../worker/client.js'),
      import('../worker/loop.js'),
      import('../worker/messages.js'),
    ]);
    const server = serverUrl(flags.server);
    const token = await readTokenFile(flags['token-file']);
    const ca = flags['server-ca'] ? [await readCaFile(flags['server-ca'], '--server-ca')] : [];
    const log = createLog(this.lang, undefined, 'govscan-worker');
    const name = workerName(flags.name);
    const client = new WorkerClient({ server: server.href, token, ca, timeoutMs: 30_000, retryForMs: flags['retry-for'] * 1000, log });

    const stop = new AbortController();
    const halt = new AbortController();
    let running = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (!stop.signal.aborted) {
        log.info(M.stopping, { signal, running });
        stop.abort();
      } else if (!halt.signal.aborted) {
        log.warn(M.stoppingNow, { signal });
        halt.abort();
      }
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    log.info(M.started, { name, concurrency: flags.concurrency, server: server.origin });
    try {
      const tally = await loop.runWorker({
        client,
        name,
        concurrency: flags.concurrency,
        pollMs: flags['poll-interval'],
        exitWhenIdle: flags['exit-when-idle'],
        scan: {
          resolve: flags.resolve ?? [],
          caFiles: flags['ca-file'] ?? [],
          caPins: flags['ca-pin'] ?? [],
          dnsServers: flags['dns-server'] ?? [],
          timeoutMs: flags.timeout,
          options: familyFlagValues(FAMILY_OPTIONS, flags),
          dialer: new NetDialer(flags['per-host']),
          lang: this.lang,
        },
        log,
        stop: stop.signal,
        halt: halt.signal,
        onRunning: (n) => {
          running = n;
        },
      });
      log.info(M.stopped, { name, ...tally });
    } catch (err) {
      if (err instanceof TokenRefused) {
        log.warn(M.tokenRefused, { status: err.status });
        this.exit(3);
      }
      // Already said in the log (serverGaveUp) when the server stayed away; an answer that is no job list says itself.
      if (err instanceof ServerUnavailable) this.exit(3);
      throw err;
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      client.close();
    }
  }
}

function serverUrl(value: string): URL {
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw InputError.unlocated({
      en: `--server: ${JSON.stringify(value)} is not an http:// or https:// URL`,
      vi: `--server: ${JSON.stringify(value)} không phải địa chỉ http:// hoặc https://`,
    });
  return url;
}

/** What the server accepts as a worker name: HOSTNAME:PID with anything else in the host name dropped. */
function workerName(given: string | undefined): string {
  if (given !== undefined) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/.test(given))
      throw InputError.unlocated({
        en: `--name: ${JSON.stringify(given)} must start with a letter or digit and hold only letters, digits and . _ : @ - (at most 128)`,
        vi: `--name: ${JSON.stringify(given)} phải bắt đầu bằng chữ hoặc số và chỉ gồm chữ, số và . _ : @ - (tối đa 128 ký tự)`,
      });
    return given;
  }
  const host =
    hostname()
      .replace(/[^A-Za-z0-9._-]/g, '')
      .replace(/^[^A-Za-z0-9]+/, '') || 'worker';
  return `${host.slice(0, 100)}:${process.pid}`;
}
