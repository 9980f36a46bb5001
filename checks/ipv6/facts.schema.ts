// JSON Schemas (draft 2020-12) of the IPv6 facts, for policy authors, the server and
// `govscan checks list`. test/checks/ipv6 validates live facts against them.

import { ADDRESS_CLASSES } from './facts.js';

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const nullableStr: Schema = { type: ['string', 'null'] };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const ports: Schema = { type: 'array', items: { type: 'integer', minimum: 1, maximum: 65535 } };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const lookupStatus: Schema = { enum: ['ok', 'nxdomain', 'nodata', 'error'] };

function object(properties: Record<string, Schema>, optional: string[] = []): Schema {
  return { type: 'object', additionalProperties: false, required: Object.keys(properties).filter((k) => !optional.includes(k)), properties };
}
const list = (items: Schema): Schema => ({ type: 'array', items });

const address = object({
  address: str,
  family: { enum: [4, 6] },
  class: { enum: [...ADDRESS_CLASSES] },
  global: bool,
  usable: { ...bool, description: 'Probes may connect to it: global, or loopback under --lab.' },
});
const scanner = object({ ipv6: bool, reason: str, lab: bool });
const nonGlobal = list(object({ host: str, address: str, class: { enum: [...ADDRESS_CLASSES] } }));
const hostAddresses = {
  name: str,
  a: list(address),
  aaaa: list(address),
  lookup: object({ a: lookupStatus, aaaa: lookupStatus, reason: nullableStr }),
};
const portState = object({ port: int, dialed: int, open: bool, reason: nullableStr });
const page = object({
  status: { enum: ['ok', 'error'] },
  reason: nullableStr,
  address: str,
  httpStatus: { type: ['integer', 'null'] },
  bytes: int,
  truncated: bool,
  location: nullableStr,
  redirects: int,
});

function schema(id: string, body: Schema): Schema {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `https://govscan.dev/schemas/checks/${id}.facts.json`, title: `${id} facts`, ...body };
}

export const webFactsSchema = schema(
  'ipv6.web',
  object({
    observedAt: dateTime,
    scanner,
    ports,
    hosts: list(
      object({
        ...hostAddresses,
        role: { enum: ['exact', 'apex', 'www'] },
        exists: bool,
        v4Open: ports,
        v6: list(object({ address: str, ports: list(portState), open: ports, missing: ports })),
        sameSite: list(
          object({
            port: int,
            scheme: { enum: ['http', 'https'] },
            v4: page,
            v6: page,
            compared: bool,
            sameStatus: bool,
            similarity: { type: 'number', minimum: 0, maximum: 1 },
            blocked: bool,
          }),
        ),
      }),
    ),
    nonGlobal,
  }),
);

export const nsFactsSchema = schema(
  'ipv6.ns',
  object({
    observedAt: dateTime,
    scanner,
    zone: str,
    nameServers: list(
      object({
        ...hostAddresses,
        hasAaaa: bool,
        reach: list(object({ address: str, reachable: bool, transport: { enum: ['udp', 'tcp', null] }, rcode: nullableStr, reason: nullableStr })),
      }),
    ),
    withAaaa: int,
    nonGlobal,
  }),
);

export const mxFactsSchema = schema(
  'ipv6.mx',
  object({
    observedAt: dateTime,
    scanner,
    domain: str,
    lookup: lookupStatus,
    nullMx: bool,
    mx: list(
      object({
        ...hostAddresses,
        preference: int,
        hasAaaa: bool,
        reach: list(object({ address: str, open: bool, banner: nullableStr, smtp: bool, reason: nullableStr })),
      }),
    ),
    nonGlobal,
  }),
);

export const parityFactsSchema = schema(
  'ipv6.parity',
  object({
    observedAt: dateTime,
    scanner,
    nmap: object({ command: str, version: nullableStr, args: list(str) }),
    hosts: list(
      object({ name: str, v4Address: nullableStr, v6Address: nullableStr, ports, v4Open: ports, v6Open: ports, onlyV4: ports }),
    ),
    unscanned: list(object({ name: str, why: { enum: ['dns', 'no-ipv4', 'no-ipv6', 'scanner'] } })),
  }),
);
