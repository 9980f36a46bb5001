// `govscan campaign create` refuses bad input before it sends anything (no server is running here:
// every case must stop at exit 2 with one line saying what is wrong, in the user's language), and
// `govscan worker` refuses a bad --server or --name the same way.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimit, runCli } from '../helpers/cli.js';

let dir: string;
let token: string;
/** A loopback port nobody listens on: were anything sent, the error would say "cannot reach" and exit 3. */
const SERVER = 'http://127.0.0.1:9';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'govscan-campaign-cli-'));
  token = join(dir, 'soc.token');
  await writeFile(token, 'gss_abcdefgh.0123456789abcdef\n');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('govscan campaign create and govscan worker: bad input is exit 2 before any request', () => {
  it('each mistake is one line naming what is wrong, in English and Vietnamese', async () => {
    const list = join(dir, 'targets.txt');
    await writeFile(list, '# portals\nhttps://cong.example.gov.vn\nhttps://a.example.gov.vn https://b.example.gov.vn\n');
    const inventory = join(dir, 'inventory.yaml');
    await writeFile(inventory, 'agency: so-tttt\nsystems:\n  - id: cong\n    level: 2\n    endpoints: [https://cong.example.gov.vn]\n');
    const base = ['campaign', 'create', '--server', SERVER, '--token-file', token, '--name', 'x'];
    const cases: { args: string[]; vi?: boolean; stderr: string }[] = [
      {
        args: [...base, '--targets-file', list],
        stderr: `error: ${list}:3: one target per line: "https://a.example.gov.vn https://b.example.gov.vn" holds several\n`,
      },
      {
        args: [...base, '--inventory', inventory, 'https://cong.example.gov.vn'],
        stderr: 'error: --inventory cannot be combined with targets or --targets-file: a campaign scans a list or an inventory\n',
      },
      {
        args: [...base, '--policy', './my-pack.yaml', 'https://cong.example.gov.vn'],
        stderr:
          'error: --policy "./my-pack.yaml": a campaign names built-in packs only (`govscan policy list`): workers have none of your files\n',
      },
      {
        args: base,
        vi: true,
        stderr:
          'lỗi: chưa có đối tượng quét: truyền các đối tượng quét (địa chỉ https://, host:port, tên miền), --targets-file FILE hoặc --inventory FILE\n',
      },
      {
        args: ['worker', '--server', 'ftp://soc.example', '--token-file', token],
        stderr: 'error: --server: "ftp://soc.example" is not an http:// or https:// URL\n',
      },
      {
        args: ['worker', '--server', SERVER, '--token-file', token, '--name', 'máy 1'],
        vi: true,
        stderr: 'lỗi: --name: "máy 1" phải bắt đầu bằng chữ hoặc số và chỉ gồm chữ, số và . _ : @ - (tối đa 128 ký tự)\n',
      },
    ];
    const results = await mapLimit(cases, 2, (c) => runCli(c.args, c.vi ? { env: { GOVSCAN_LANG: 'vi' } } : {}));
    results.forEach((r, i) => {
      expect({ code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ code: 2, stderr: cases[i]?.stderr, stdout: '' });
    });
  });
});
