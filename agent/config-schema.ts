// The agent's configuration file, defined once: config.ts takes the document's type from this
// definition and validates with it; agent/config.schema.json is this schema written out for users
// (scripts/write-schemas.mjs, checked by test/contract/schemas.test.ts).

import { enumOf, Type, type Static } from '../src/core/schema-builders.js';

type Options = Record<string, unknown>;

const duration = (options: Options = {}) =>
  Type.Unsafe<number | string>({
    type: ['integer', 'string'],
    minimum: 0,
    pattern: '^[0-9]+(s|m|h|d)$',
    'x-hint': 'seconds as a number, or a number followed by s, m, h or d (e.g. 15m, 6h)',
    ...options,
  });
const path = (options: Options = {}) => Type.String({ minLength: 1, ...options });
const paths = (options: Options = {}) => Type.Array(path(), options);
const texts = (options: Options = {}) => Type.Array(Type.String({ minLength: 1 }), options);
const closed = { additionalProperties: false } as const;

export const AgentConfigDocumentSchema = Type.Object(
  {
    server: Type.Optional(
      Type.Object(
        {
          url: Type.Optional(
            Type.String({
              pattern: '^https?://[^\\s/]+/?$',
              'x-hint': "the server's base URL, http(s)://HOST[:PORT], e.g. https://soc.example.gov.vn:8443",
            }),
          ),
          caFiles: Type.Optional(
            paths({ description: "Extra trust anchors (PEM) for the server's certificate, beside the public roots." }),
          ),
          timeout: Type.Optional(duration({ description: 'Deadline of one upload request (default 30s).' })),
        },
        closed,
      ),
    ),
    stateDirectory: Type.Optional(
      path({ description: 'Where the token and the spool live (default $STATE_DIRECTORY, else /var/lib/govscan-agent).' }),
    ),
    tokenFile: Type.Optional(path({ description: 'Default <stateDirectory>/token.json.' })),
    spool: Type.Optional(
      Type.Object(
        {
          directory: Type.Optional(path({ description: 'Default <stateDirectory>/spool.' })),
          maxBytes: Type.Optional(
            Type.Integer({
              minimum: 1024,
              description: 'Size cap: beyond it the oldest batches are dropped, with a log line (default 256 MiB).',
            }),
          ),
        },
        closed,
      ),
    ),
    schedule: Type.Optional(
      Type.Object(
        {
          interval: Type.Optional(duration({ description: 'Time between runs in loop mode (default 1h, at least 60s).' })),
          jitter: Type.Optional(duration({ description: 'Random extra delay before each run, up to this (default 5m).' })),
        },
        closed,
      ),
    ),
    upload: Type.Optional(
      Type.Object(
        {
          maxAttempts: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 100, description: 'Attempts per batch in one drain before it stops (default 5).' }),
          ),
          backoff: Type.Optional(duration({ description: 'First retry delay; doubled each attempt, with jitter (default 2s).' })),
          maxBackoff: Type.Optional(duration({ description: 'Longest retry delay (default 5m).' })),
        },
        closed,
      ),
    ),
    scan: Type.Optional(
      Type.Object(
        {
          inventory: Type.Optional(path()),
          policies: Type.Optional(
            paths({ description: 'Built-in policy ids or files (default: every built-in pack); vn-agent-host is always added.' }),
          ),
          caFiles: Type.Optional(paths({ description: 'Extra trust anchors for scanned endpoints (as govscan scan --ca-file).' })),
          caPins: Type.Optional(texts()),
          resolve: Type.Optional(texts({ description: 'HOST:PORT:ADDRESS (as govscan scan --resolve).' })),
          dnsServers: Type.Optional(texts()),
          lab: Type.Optional(Type.Boolean()),
          tlsQuick: Type.Optional(
            Type.Boolean({ description: 'As govscan scan --tls-quick: TLS versions, certificates and trust only, no suite enumeration.' }),
          ),
          legalBasis: Type.Optional(enumOf(['nd85-2016', 'nd331-2026'])),
          timeoutMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 600000 })),
          concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
        },
        closed,
      ),
    ),
    host: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9.-]*$', 'x-hint': "a host name (letters, digits, '.', '-')" })),
          system: Type.Optional(
            Type.Object(
              {
                id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', 'x-hint': 'a system id as in the inventory' }),
                name: Type.Optional(Type.String()),
                level: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
              },
              closed,
            ),
          ),
          certificateFiles: Type.Optional(paths()),
          forwarders: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  name: Type.String({ minLength: 1 }),
                  collector: Type.String({
                    pattern: '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+):[0-9]{1,5}$',
                    'x-hint': 'HOST:PORT or [IPv6]:PORT, e.g. soc.example.gov.vn:6514',
                  }),
                  configFiles: Type.Array(path(), { minItems: 1 }),
                },
                closed,
              ),
            ),
          ),
          procRoot: Type.Optional(path({ description: 'Where /proc is mounted (default /proc).' })),
        },
        closed,
      ),
    ),
  },
  {
    ...closed,
    $id: 'https://govscan.dev/schemas/agent-config.schema.json',
    title: 'govscan-agent configuration',
    description:
      'What the agent scans, where it keeps its token and spool, and which server it delivers to. Relative paths are relative to this file.',
  },
);

/** The configuration file as written, before defaults and paths are resolved. */
export type AgentConfigDocument = Static<typeof AgentConfigDocumentSchema>;
