import { BlockList, isIP } from "node:net";

/** Normalises IPv4-mapped IPv6 (::ffff:127.0.0.1), which Node reports for IPv4 peers on dual-stack sockets. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

export interface NetworkList {
  contains(address: string): boolean;
}

export function networkList(cidrs: readonly string[]): NetworkList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network = "", bits = ""] = cidr.split("/");
    const family = isIP(network);
    if (family === 0) throw new Error(`not a CIDR block: ${cidr}`);
    list.addSubnet(network, Number(bits), family === 4 ? "ipv4" : "ipv6");
  }
  return {
    contains(address) {
      const normalized = normalizeAddress(address);
      const family = isIP(normalized);
      return family !== 0 && list.check(normalized, family === 4 ? "ipv4" : "ipv6");
    },
  };
}
