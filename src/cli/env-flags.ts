// Every flag of a command settable from the environment as GOVSCAN_<FLAG> (`--retain-days` →
// GOVSCAN_RETAIN_DAYS), as services run from systemd units and containers are configured. oclif reads
// a flag's `env` itself, with the precedence users expect (flag > environment > default), and its help
// shows the variable beside the flag (`[env: GOVSCAN_LISTEN]`), so each flag only needs the name.
// A boolean flag is on when its variable is 1, true, y or yes (any case), off otherwise.

/** `retain-days` → `GOVSCAN_RETAIN_DAYS`. */
export function envName(flag: string): string {
  return `GOVSCAN_${flag.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/**
 * Flags not read from GOVSCAN_<FLAG>: --lang already takes its default from GOVSCAN_LANG (a
 * locale-like value such as `vi_VN` included, see i18n), and --json is how a script asks for output,
 * not a setting of the service.
 */
const NOT_FROM_ENV: ReadonlySet<string> = new Set(['lang', 'json']);

/**
 * The flag table with `env: GOVSCAN_<FLAG>` on every flag (a flag that names its own variable keeps
 * it). Use it where the table is declared: `static flags = withEnvFlags({ … })`.
 */
export function withEnvFlags<T extends Record<string, object>>(flags: T): T {
  const out: Record<string, object> = {};
  for (const [name, flag] of Object.entries(flags)) {
    const own = (flag as { env?: string }).env;
    out[name] = NOT_FROM_ENV.has(name) || own ? flag : { ...flag, env: envName(name) };
  }
  return out as T;
}
