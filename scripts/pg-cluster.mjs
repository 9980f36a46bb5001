#!/usr/bin/env node
// A throwaway PostgreSQL cluster for tests and benchmarks, on loopback only.
//
//   node scripts/pg-cluster.mjs start DIR [PORT]   initdb (once) and start; prints the URL on one line
//   node scripts/pg-cluster.mjs stop DIR           stop it (the files stay until DIR is removed)
//
// The cluster listens on 127.0.0.1 only, with its unix socket inside DIR; only 127.0.0.1 gets trust
// authentication. fsync stays on: the kill-and-restart tests rely on real durability. As root, the
// cluster runs as the `postgres` OS user (PostgreSQL refuses to run as root), so DIR is handed to it.
// Exit 2 with one line when PostgreSQL is not installed or the arguments are wrong.

import { spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, appendFileSync, statSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { execFileSync } from 'node:child_process';
import { delimiter, join, resolve } from 'node:path';

const USAGE = 'usage: node scripts/pg-cluster.mjs start DIR [PORT] | stop DIR';

function fail(message, code = 2) {
  process.stderr.write(`pg-cluster: ${message}\n`);
  process.exit(code);
}

/** The folder holding initdb/pg_ctl: the newest /usr/lib/postgresql/N/bin, else PATH. */
function findBin() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(base, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'))) return dir;
  }
  return null;
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function postgresIds() {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    fail('running as root needs the `postgres` OS user (it comes with the Debian package: apt-get install -y postgresql)');
  }
}

/** Runs a PostgreSQL tool (as `postgres` when we are root); resolves with its exit code and output. */
function run(bin, tool, args, { timeoutMs = 120_000 } = {}) {
  const cmd = asRoot ? 'runuser' : join(bin, tool);
  const argv = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
  return new Promise((resolveRun) => {
    // pg_ctl's postmaster may inherit our pipes: wait for the tool's own exit, not for the pipes to close.
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolveRun({ code: -1, out: String(err) });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      resolveRun({ code, out });
    });
  });
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolvePort(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

function accepts(port) {
  return new Promise((resolveTry) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    const done = (ok) => {
      sock.destroy();
      resolveTry(ok);
    };
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
    sock.setTimeout(1000, () => done(false));
  });
}

async function waitReady(bin, dir, port) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    // pg_isready speaks the protocol: "accepting connections" (exit 0), not merely a bound port.
    if (await accepts(port)) {
      const r = await run(bin, 'pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-t', '2']);
      if (r.code === 0) return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`the cluster in ${dir} did not accept connections on 127.0.0.1:${port} within 60 s; see ${join(dir, 'postgres.log')}`, 1);
}

function giveToPostgres(path) {
  if (!asRoot) return;
  const { uid, gid } = postgresIds();
  chownSync(path, uid, gid);
}

async function start(dir, portArg) {
  const bin = findBin();
  if (!bin) fail('PostgreSQL is not installed (no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on PATH): apt-get install -y postgresql');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  giveToPostgres(dir);
  if (asRoot) {
    // The cluster runs as `postgres`, which must be able to reach DIR through its parent folders.
    const reach = await new Promise((r) =>
      spawn('runuser', ['-u', 'postgres', '--', 'test', '-w', dir], { stdio: 'ignore' }).on('exit', (code) => r(code === 0)),
    );
    if (!reach)
      fail(
        `${dir}: the postgres user cannot reach this folder (a parent folder is private to root); use a folder under /tmp, e.g. $(mktemp -d)`,
      );
  }
  const data = join(dir, 'data');
  const portFile = join(dir, 'port');
  const port = portArg ? Number(portArg) : existsSync(portFile) ? Number(readFileSync(portFile, 'utf8').trim()) : await freePort();
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT: not a port number: ${portArg}`);

  if (!existsSync(join(data, 'PG_VERSION'))) {
    // C locale: text sorts bytewise, as SQLite's default collation does, so both stores order alike.
    const r = await run(bin, 'initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth-local=peer',
      '--auth-host=reject',
      '--encoding=UTF8',
      '--locale=C',
    ]);
    if (r.code !== 0) fail(`initdb failed in ${data}:\n${r.out.trim()}`, 1);
    writeFileSync(
      join(data, 'pg_hba.conf'),
      ['# govscan throwaway cluster: trust on 127.0.0.1 only', 'local all postgres peer', 'host all all 127.0.0.1/32 trust', ''].join('\n'),
    );
    giveToPostgres(join(data, 'pg_hba.conf'));
  }
  // Settings go in a file so a restart (start on an existing DIR) keeps them.
  const conf = [
    '# govscan throwaway cluster',
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${dir.replace(/'/g, "''")}'`,
    'max_connections = 300',
    'fsync = on',
    'synchronous_commit = on',
    'full_page_writes = on',
    'shared_buffers = 128MB',
    "timezone = 'UTC'",
    '',
  ].join('\n');
  const autoConf = join(data, 'govscan.conf');
  writeFileSync(autoConf, conf);
  giveToPostgres(autoConf);
  const mainConf = join(data, 'postgresql.conf');
  if (!readFileSync(mainConf, 'utf8').includes("include 'govscan.conf'")) appendFileSync(mainConf, "\ninclude 'govscan.conf'\n");
  writeFileSync(portFile, `${port}\n`);

  const log = join(dir, 'postgres.log');
  if (!existsSync(log)) writeFileSync(log, '');
  giveToPostgres(log);
  const r = await run(bin, 'pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', 'start']);
  if (r.code !== 0) {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
    fail(`pg_ctl start failed for ${data}:\n${r.out.trim()}\n${tail}`, 1);
  }
  await waitReady(bin, dir, port);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  writeFileSync(join(dir, 'url'), `${url}\n`);
  process.stdout.write(`${url}\n`);
}

async function stop(dir) {
  const bin = findBin();
  if (!bin) fail('PostgreSQL is not installed: apt-get install -y postgresql');
  const data = join(dir, 'data');
  if (!existsSync(join(data, 'PG_VERSION'))) fail(`${dir}: no cluster here`);
  if (!existsSync(join(data, 'postmaster.pid'))) return; // already stopped
  const r = await run(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  if (r.code !== 0 && existsSync(join(data, 'postmaster.pid'))) fail(`pg_ctl stop failed for ${data}:\n${r.out.trim()}`, 1);
}

const [command, dirArg, portArg] = process.argv.slice(2);
if (!command || !dirArg || !['start', 'stop'].includes(command) || (command === 'stop' && portArg)) fail(USAGE);
const dir = resolve(dirArg);
if (existsSync(dir) && !statSync(dir).isDirectory()) fail(`${dir}: not a directory`);
if (command === 'start') await start(dir, portArg);
else await stop(dir);
