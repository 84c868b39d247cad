// IpAddress / NotIpAddress: IPv4 and IPv6 CIDR ranges; an address without a prefix is a single host.

interface Cidr {
  bytes: Uint8Array;
  prefix: number;
}

function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    bytes[i] = n;
  }
  return bytes;
}

function parseIPv6(text: string): Uint8Array | null {
  const zone = text.indexOf("%");
  const address = zone >= 0 ? text.slice(0, zone) : text;
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === "" ? [] : half.split(":"));
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  const words: number[] = [];
  const pushGroups = (list: string[], allowV4Tail: boolean): boolean => {
    for (let i = 0; i < list.length; i++) {
      const group = list[i] as string;
      if (allowV4Tail && i === list.length - 1 && group.includes(".")) {
        const v4 = parseIPv4(group);
        if (!v4) return false;
        words.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return false;
        words.push(parseInt(group, 16));
      }
    }
    return true;
  };
  if (!pushGroups(head, halves.length === 1)) return null;
  const headLength = words.length;
  if (!pushGroups(tail, true)) return null;
  const missing = 8 - words.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  words.splice(headLength, 0, ...new Array<number>(missing).fill(0));
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d, what a dual-stack socket reports) is its IPv4 address. */
function unmap(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== 16) return bytes;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return bytes;
  if (bytes[10] !== 0xff || bytes[11] !== 0xff) return bytes;
  return bytes.slice(12);
}

export function parseIp(text: string): Uint8Array | null {
  const trimmed = text.trim();
  const bytes = trimmed.includes(":") ? parseIPv6(trimmed) : parseIPv4(trimmed);
  return bytes ? unmap(bytes) : null;
}

// Session policies come from callers, so the cache stays bounded.
const CACHE_LIMIT = 1024;
const cidrs = new Map<string, Cidr | null>();

function parseCidr(text: string): Cidr | null {
  const cached = cidrs.get(text);
  if (cached !== undefined) return cached;
  const slash = text.indexOf("/");
  const bytes = parseIp(slash >= 0 ? text.slice(0, slash) : text);
  let cidr: Cidr | null = null;
  if (bytes) {
    const prefixText = slash >= 0 ? text.slice(slash + 1).trim() : null;
    let prefix = prefixText === null ? bytes.length * 8 : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
    // A ::ffff:a.b.c.d/N range counts its prefix over 128 bits; unmapped, the address has 32.
    if (prefixText !== null && bytes.length === 4 && text.includes(":")) prefix -= 96;
    if (prefix >= 0 && prefix <= bytes.length * 8) cidr = { bytes, prefix };
  }
  if (cidrs.size < CACHE_LIMIT) cidrs.set(text, cidr);
  return cidr;
}

export function cidrContains(range: string, address: string): boolean {
  const cidr = parseCidr(range);
  const ip = parseIp(address);
  if (!cidr || !ip || ip.length !== cidr.bytes.length) return false;
  const full = cidr.prefix >> 3;
  for (let i = 0; i < full; i++) if (ip[i] !== cidr.bytes[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((ip[full] as number) & mask) === ((cidr.bytes[full] as number) & mask);
}
