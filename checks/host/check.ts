// The agent's local host check (`host.local`). It applies only to the `local://`
// target an agent adds for the machine it runs on, so `govscan scan` never runs it. The registry
// holds an instance with nothing configured (enough for policies to name the check); the agent
// swaps in one built from its config with createHostCheck.

import { networkInterfaces } from 'node:os';
import { HOST_CHECK } from './check-id.js';
import type { Check, SystemRef, Target } from '../../src/core/types.js';
import type { HostFacts } from './facts.js';
import { hostFactsSchema } from './facts.schema.js';
import type { ForwarderSetting } from './probe-forwarders.js';
import type { InterfaceList } from './probe-interfaces.js';

export interface HostProbeSettings {
  certificateFiles?: string[];
  forwarders?: ForwarderSetting[];
  /** Where /proc is (tests point it at recorded files). */
  procRoot?: string;
  /** The interface list (tests inject a recorded one). */
  interfaces?: () => InterfaceList;
}

export function createHostCheck(settings: HostProbeSettings = {}): Check<HostFacts> {
  return {
    id: HOST_CHECK,
    family: 'host',
    title: {
      en: 'Agent host: IPv6 addresses, IPv4-only services, certificate files, log forwarder',
      vi: 'Máy chạy tác tử: địa chỉ IPv6, dịch vụ chỉ IPv4, tệp chứng thư số, chuyển tiếp nhật ký',
    },
    description: {
      en:
        'Run by govscan-agent on the machine it is installed on: lists the interfaces and their address classes, ' +
        'the TCP services listening on IPv4 and IPv6 (/proc/net/tcp, tcp6), the certificate files at the configured ' +
        'paths with their expiry, and whether the configured SOC/NCSC log-forwarder files name the collector.',
      vi:
        'Do govscan-agent chạy trên chính máy được cài đặt: liệt kê các giao diện mạng và loại địa chỉ, các dịch vụ TCP ' +
        'đang lắng nghe trên IPv4 và IPv6 (/proc/net/tcp, tcp6), các tệp chứng thư số tại đường dẫn đã cấu hình cùng hạn ' +
        'dùng, và các tệp cấu hình chuyển tiếp nhật ký tới SOC/NCSC có trỏ tới điểm thu thập hay không.',
    },
    appliesTo: (target: Target) => target.kind === 'local',
    run: async (target, ctx) => {
      // Loaded on first use: the family module stays light (src/core/family.ts).
      const [{ probeCertificateFile }, { probeForwarder }, { globalIpv6Addresses, interfaceFacts }, { probeListeners }] = await Promise.all(
        [import('./probe-certfiles.js'), import('./probe-forwarders.js'), import('./probe-interfaces.js'), import('./probe-listeners.js')],
      );
      const now = ctx.now();
      const interfaces = interfaceFacts((settings.interfaces ?? networkInterfaces)());
      const [listeners, certificateFiles, forwarders] = await Promise.all([
        probeListeners(settings.procRoot ?? '/proc'),
        Promise.all((settings.certificateFiles ?? []).map((p) => probeCertificateFile(p, now))),
        Promise.all((settings.forwarders ?? []).map(probeForwarder)),
      ]);
      return {
        observedAt: now.toISOString(),
        hostname: target.host,
        interfaces,
        globalIpv6Addresses: globalIpv6Addresses(interfaces),
        listeners,
        certificateFiles,
        forwarders,
      };
    },
    factsSchema: hostFactsSchema,
  };
}

export const hostLocalCheck: Check<HostFacts> = createHostCheck();

/** The agent's own machine as a target: `local://<hostname>`. */
export function localTarget(hostname: string, extra: { agency?: string; system?: SystemRef } = {}): Target {
  const host = hostname.toLowerCase();
  return { key: `local://${host}`, kind: 'local', scheme: 'local', host, port: 0, path: '/', ...extra };
}
