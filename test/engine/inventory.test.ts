import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadInventory } from '../../src/engine/inventory.js';
import { InputError } from '../../src/core/errors.js';

const dir = 'test/fixtures/inventories';

async function errorOf(name: string): Promise<string> {
  try {
    await loadInventory(join(dir, name));
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error(`${name} loaded without error`);
}

describe('inventory loading', () => {
  it('keeps file and line of every endpoint and the system it belongs to', async () => {
    const inv = await loadInventory(join(dir, 'good.yaml'));
    expect(inv.agency).toBe('Sở TT&TT Tây Ninh');
    expect(inv.targets.map((t) => [t.key, t.source?.line, t.source?.column, t.system?.id, t.system?.level])).toEqual([
      ['https://dichvucong.tayninh.gov.vn:443', 8, 9, 'cong-dvc', 3],
      ['tls://dichvucong.tayninh.gov.vn:8443', 9, 9, 'cong-dvc', 3],
      ['https://[::1]:9443', 14, 9, 'portal', 2],
      ['dns://tayninh.gov.vn', 6, 13, 'cong-dvc', 3],
      // Every system is a target for the security-level checks, located at its id when it names no
      // evidence manifest: no manifest is a finding, not a system left out.
      ['system://cong-dvc', 3, 9, 'cong-dvc', 3],
      ['system://portal', 10, 9, 'portal', 2],
    ]);
    expect(inv.targets[2]?.path).toBe('/home');
    expect(inv.targets[0]?.agency).toBe('Sở TT&TT Tây Ninh');
  });

  it('reports YAML syntax errors with file:line:col', async () => {
    expect(await errorOf('bad-syntax.yaml')).toMatch(/^test\/fixtures\/inventories\/bad-syntax\.yaml:\d+:\d+: YAML syntax error: /);
  });

  it('points schema errors at the offending value', async () => {
    expect(await errorOf('bad-level.yaml')).toBe('test/fixtures/inventories/bad-level.yaml:4:12: systems[0].level: must be <= 5 (got 7)');
  });

  it('names unknown fields', async () => {
    expect(await errorOf('unknown-field.yaml')).toBe('test/fixtures/inventories/unknown-field.yaml:4:5: systems[0]: unknown field "levle"');
  });

  it('rejects endpoints it cannot scan, at their line', async () => {
    expect(await errorOf('bad-endpoint.yaml')).toBe(
      'test/fixtures/inventories/bad-endpoint.yaml:7:9: system "a": "ftp://files.a.gov.vn": ftp:// endpoints are not supported yet (use https://, smtp://, smtps:// or host:port)',
    );
  });

  it('rejects duplicate system ids', async () => {
    expect(await errorOf('duplicate-id.yaml')).toBe(
      'test/fixtures/inventories/duplicate-id.yaml:4:9: duplicate system id "a" (first declared on line 2)',
    );
  });

  it('says when the file cannot be read', async () => {
    expect(await errorOf('missing.yaml')).toBe('test/fixtures/inventories/missing.yaml: cannot read inventory: ENOENT');
  });
});
