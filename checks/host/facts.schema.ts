// JSON Schema (draft 2020-12) of the host.local facts. test/agent validates probed facts against it.

import { bool, int, list, nullableStr, object, schema, str } from '../seclevel/facts.schema.js';
import { ADDRESS_CLASSES } from '../ipv6/facts.js';

const nullableInt = { type: ['integer', 'null'] };
const nullableBool = { type: ['boolean', 'null'] };
const source = { enum: ['ok', 'missing', 'unreadable'] };
const scope = { enum: ['none', 'loopback', 'network'] };

export const hostFactsSchema = schema(
  'host.local',
  object({
    observedAt: { type: 'string', format: 'date-time' },
    hostname: str,
    interfaces: list(
      object({
        name: str,
        internal: bool,
        addresses: list(object({ address: str, family: { enum: [4, 6] }, class: { enum: [...ADDRESS_CLASSES] }, global: bool })),
        globalIpv6: bool,
      }),
    ),
    globalIpv6Addresses: list(str),
    listeners: object({
      available: bool,
      tcp: source,
      tcp6: source,
      bindv6only: nullableBool,
      services: list(
        object({
          port: int,
          v4: list(str),
          v6: list(str),
          dualStack: bool,
          v4Scope: scope,
          v6Scope: scope,
          ipv4Only: bool,
          loopbackOnly: bool,
        }),
      ),
      omitted: int,
    }),
    certificateFiles: list(
      object({
        path: str,
        status: { enum: ['ok', 'missing', 'unreadable', 'not-a-certificate'] },
        reason: str,
        subject: nullableStr,
        issuer: nullableStr,
        notBefore: nullableStr,
        notAfter: nullableStr,
        daysToExpiry: nullableInt,
        expired: nullableBool,
        sha256: nullableStr,
        count: int,
      }),
    ),
    forwarders: list(
      object({
        name: str,
        collector: str,
        host: str,
        port: int,
        files: list(object({ path: str, status: source, mentionsHost: bool, mentionsPort: bool })),
        configured: bool,
      }),
    ),
  }),
);
