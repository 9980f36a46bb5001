import { Flags } from '@oclif/core';
import { colorFlag, GovscanCommand, langFlag } from '../cli/base.js';
import { colorWanted } from '../cli/color.js';

const DEMO_SCENARIOS = [
  'good-rsa',
  'good-ecdsa',
  'expired',
  'expiring-soon',
  'wrong-host',
  'incomplete-chain',
  'legacy-protocols',
  'no-hsts',
  'national-root-only',
  'silent',
];

/** The day the example agency's dates are written for (README: GOVSCAN_NOW=2026-12-02), inside the Decree 331 transition. */
const EXAMPLE_DAY = '2026-12-02T10:00:00+07:00';

const DEMO_MESSAGES = {
  noExample: {
    en: 'the example agency is not here ({path}): `govscan demo --agency` runs from a copy of the govscan repository',
    vi: 'không có cơ quan ví dụ tại {path}: `govscan demo --agency` chạy từ bản sao kho mã nguồn govscan',
  },
};

export default class Demo extends GovscanCommand {
  static override summary = 'Scan a built-in farm of local TLS endpoints (offline) to see what govscan reports';
  static override description =
    `Starts TLS servers on 127.0.0.1 with generated certificates — good ones and ones with typical defects — and scans them with the real pipeline. Nothing leaves this machine. The farm's test root stands in for a publicly trusted CA, and its "national root" for the Vietnam National Root CA given with --ca-file.`;
  static override flags = {
    format: Flags.option({ options: ['table', 'json', 'sarif'] as const, default: 'table' as const, description: 'Report format' })(),
    color: colorFlag,
    lang: langFlag,
    quiet: Flags.boolean({ char: 'q', default: false, description: 'No progress output' }),
    agency: Flags.boolean({
      default: false,
      description:
        'Scan the example agency (examples/agency/inventory.yaml) instead, with the servers it names started on 127.0.0.1: its portal (8443), log collector (6514) and NCSC endpoint (6515); as of 2 December 2026 unless GOVSCAN_NOW says otherwise',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Demo);
    this.lang = flags.lang;
    if (flags.agency) {
      await this.agency(flags);
      return;
    }
    const [{ createProgress }, { executeScan, prepareScan }, { publicAnchors }, { startFarm }, { render }] = await Promise.all([
      import('../cli/progress.js'),
      import('../engine/scan.js'),
      import('../pki/trust-anchors.js'),
      import('../lab/farm.js'),
      import('../report/index.js'),
    ]);
    const farm = await startFarm({ scenarios: DEMO_SCENARIOS });
    try {
      const prepared = await prepareScan(
        {
          targets: farm.endpoints.map((e) => e.url),
          policies: [],
          resolve: farm.endpoints.map((e) => `${e.host}:${e.port}:${e.address}`),
          caFiles: [farm.nationalRootPemFile],
          caPins: [],
          failOn: 'high',
        },
        { timeoutMs: 1500 },
      );
      // The farm's root plays a publicly trusted CA; a real scan uses Node's store as it is.
      prepared.trust = {
        ...prepared.trust,
        public: { name: 'public', certificates: [...publicAnchors().certificates, farm.publicRoot.cert] },
      };
      const mode = flags.quiet ? 'quiet' : process.stderr.isTTY ? 'tty' : 'plain';
      const progress = createProgress({ mode, targets: prepared.targets, lang: this.lang });
      const report = await progress.wrap(() =>
        executeScan(prepared, {
          concurrency: 16,
          perHostLimit: 8,
          timeoutMs: 1500,
          targetTimeoutMs: 4000,
          keepFacts: flags.format === 'json',
          onTargetStart: (t) => progress.start(t),
          onTargetDone: (t, a, f) => progress.done(t, a, f),
        }),
      );
      this.log(render(report, flags.format, { lang: this.lang, color: colorWanted(process.stdout, flags.color) }).trimEnd());
    } finally {
      await farm.close();
    }
  }
  /**
   * The example agency of examples/agency, scanned with the servers it names listening on 127.0.0.1
   * (src/lab/agency-lab.ts), as of the day its dates are written for unless GOVSCAN_NOW says otherwise.
   */
  private async agency(flags: { format: 'table' | 'json' | 'sarif'; color: boolean | undefined; quiet: boolean }): Promise<void> {
    const [
      { existsSync },
      { join },
      { clockFromEnv },
      { createProgress },
      { InputError },
      { packageRoot },
      { format },
      { executeScan, prepareScan },
      { publicAnchors },
      { startAgencyLab },
      { render },
    ] = await Promise.all([
      import('node:fs'),
      import('node:path'),
      import('../cli/clock.js'),
      import('../cli/progress.js'),
      import('../core/errors.js'),
      import('../core/package-root.js'),
      import('../core/i18n/index.js'),
      import('../engine/scan.js'),
      import('../pki/trust-anchors.js'),
      import('../lab/agency-lab.js'),
      import('../report/index.js'),
    ]);
    const dir = join(packageRoot(), 'examples', 'agency');
    const inventory = join(dir, 'inventory.yaml');
    if (!existsSync(inventory)) {
      const m = DEMO_MESSAGES.noExample;
      throw InputError.unlocated({ en: format(m.en, { path: dir }), vi: format(m.vi, { path: dir }) });
    }
    const clock = clockFromEnv(process.env.GOVSCAN_NOW) ?? clockFromEnv(EXAMPLE_DAY);
    const now = clock ? clock() : new Date();
    const lab = await startAgencyLab(now);
    try {
      const prepared = await prepareScan(
        {
          targets: [],
          inventory,
          policies: [],
          resolve: [],
          caFiles: [join(dir, 'ca', 'example-root.pem')],
          caPins: [],
          failOn: 'high',
          now,
        },
        { timeoutMs: 3000 },
      );
      // The lab's root plays a publicly trusted CA for the portal's certificate; a real scan uses Node's store as it is.
      prepared.trust = { ...prepared.trust, public: { name: 'public', certificates: [...publicAnchors().certificates, lab.root] } };
      const mode = flags.quiet ? 'quiet' : process.stderr.isTTY ? 'tty' : 'plain';
      const progress = createProgress({ mode, targets: prepared.targets, lang: this.lang });
      const report = await progress.wrap(() =>
        executeScan(prepared, {
          concurrency: 8,
          perHostLimit: 8,
          timeoutMs: 3000,
          targetTimeoutMs: 15000,
          keepFacts: flags.format === 'json',
          ...(clock ? { now: clock } : {}),
          onTargetStart: (t) => progress.start(t),
          onTargetDone: (t, a, f) => progress.done(t, a, f),
        }),
      );
      this.log(render(report, flags.format, { lang: this.lang, color: colorWanted(process.stdout, flags.color) }).trimEnd());
    } finally {
      await lab.close();
    }
  }
}
