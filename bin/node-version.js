// Refuses a Node.js older than package.json "engines" with one line in the user's language, before any
// dependency loads: on Node 20 the native SQLite binding would crash the process instead of explaining.
const NEEDED = [22, 13];

export function assertNodeVersion(program, argv = process.argv.slice(2), env = process.env) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > NEEDED[0] || (major === NEEDED[0] && minor >= NEEDED[1])) return;
  const langAt = argv.indexOf('--lang');
  const vi =
    argv.includes('--lang=vi') || (langAt >= 0 && argv[langAt + 1] === 'vi') || (langAt < 0 && (env.GOVSCAN_LANG ?? '').startsWith('vi'));
  const needed = `${NEEDED[0]}.${NEEDED[1]}`;
  process.stderr.write(
    vi
      ? `${program}: cần Node.js ${needed} trở lên, máy này đang chạy ${process.versions.node}; cài Node.js mới hơn rồi chạy lại (xem README).\n`
      : `${program}: needs Node.js ${needed} or later, this is ${process.versions.node}; install a newer Node.js and run it again (see README).\n`,
  );
  process.exit(3);
}
