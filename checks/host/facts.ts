// Facts the agent's local host check (`host.local`) gathers on the machine it runs on: its IPv6
// addresses, which TCP services listen on IPv4 but not IPv6, certificate files on disk, and whether the
// SOC/NCSC log forwarder is configured. Probes never judge: policies/vn-agent-host.yaml does.

import type { Static } from '../../src/core/schema-builders.js';
import type * as D from './facts.schema.js';

export type InterfaceFacts = Static<typeof D.interfaceFacts>;
/** Where a family's listeners are reachable from: nowhere, the host itself, or the network. */
export type ListenScope = Static<typeof D.listenScope>;
export type ServiceFacts = Static<typeof D.service>;
export type SourceStatus = Static<typeof D.sourceStatus>;
export type ListenerFacts = Static<typeof D.listeners>;
export type CertificateFileFacts = Static<typeof D.certificateFile>;
export type ForwarderFileFacts = Static<typeof D.forwarderFile>;
export type ForwarderFacts = Static<typeof D.forwarder>;
export type HostFacts = Static<typeof D.hostFacts>;
