// The supported_groups table the group probes offer and name their findings from.

import { describe, expect, it } from 'vitest';
import { groupName, NAMED_GROUPS, namedGroup } from '../../../checks/tls/named-groups.js';

describe('NAMED_GROUPS', () => {
  it('has one entry per code and per name', () => {
    expect(new Set(NAMED_GROUPS.map((g) => g.code)).size).toBe(NAMED_GROUPS.length);
    expect(new Set(NAMED_GROUPS.map((g) => g.name)).size).toBe(NAMED_GROUPS.length);
  });

  it('covers the curves, the ffdhe groups and the post-quantum hybrids a scanner offers', () => {
    const codes = NAMED_GROUPS.map((g) => g.code);
    // Every code point of the elliptic-curve range (RFC 4492 … RFC 8998) and RFC 7919's five groups.
    for (let c = 0x0001; c <= 0x0029; c++) expect(codes, groupName(c)).toContain(c);
    for (let c = 0x0100; c <= 0x0104; c++) expect(codes).toContain(c);
    expect(namedGroup(0x11ec)).toEqual({ code: 0x11ec, name: 'X25519MLKEM768', kind: 'hybrid-pq', bits: 768 });
    expect(namedGroup(0x11eb)?.name).toBe('SecP256r1MLKEM768');
    expect(namedGroup(0x11ed)).toMatchObject({ name: 'SecP384r1MLKEM1024', bits: 1024 });
    expect(namedGroup(0x6399)).toMatchObject({ name: 'X25519Kyber768Draft00', kind: 'hybrid-pq' });
    expect(namedGroup(0x0201)).toMatchObject({ name: 'MLKEM768', kind: 'pq' });
    expect(namedGroup(0x001d)).toEqual({ code: 0x001d, name: 'x25519', kind: 'ecdhe', bits: 256 });
    expect(namedGroup(0x0101)).toEqual({ code: 0x0101, name: 'ffdhe3072', kind: 'ffdhe', bits: 3072 });
  });

  it('offers the hybrids first and names unknown codes by hex', () => {
    expect(NAMED_GROUPS[0]?.name).toBe('X25519MLKEM768');
    expect(groupName(0xfe30)).toBe('0xfe30');
  });
});
