import { isIP } from 'node:net';

/**
 * What an IP address is, for the outbound fence (webhooks, Slack): only `public` addresses are
 * reached unless an admin allows a host or range. Framework-free, so the configuration can
 * validate BP_OUTBOUND_ALLOW with it.
 */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'multicast'
  | 'unspecified'
  | 'cgnat'
  | 'metadata'
  | 'reserved';

/** How a kind reads in "resolves to a … address". */
export const ADDRESS_KIND_TEXT: Record<Exclude<AddressKind, 'public'>, string> = {
  loopback: 'a loopback',
  private: 'a private',
  'link-local': 'a link-local',
  multicast: 'a multicast',
  unspecified: 'an unspecified',
  cgnat: 'a carrier-grade NAT (100.64.0.0/10)',
  metadata: 'a cloud metadata',
  reserved: 'a reserved',
};

/** An address as bytes: 4 for IPv4, 16 for IPv6. */
type Bytes = number[];

function parseV4(text: string): Bytes | null {
  if (isIP(text) !== 4) return null;
  return text.split('.').map(Number);
}

/** IPv6 text (zone id, embedded IPv4 tail allowed) to 16 bytes. */
function parseV6(text: string): Bytes | null {
  const bare = text.replace(/%.*$/, '');
  if (isIP(bare) !== 6) return null;
  let groups = bare;
  const lastColon = groups.lastIndexOf(':');
  const tail = groups.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseV4(tail);
    if (!v4) return null;
    groups = `${groups.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head = '', rest] = groups.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const restParts = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headParts.length - restParts.length;
  const all = [
    ...headParts,
    ...Array<string>(rest === undefined ? 0 : missing).fill('0'),
    ...restParts,
  ];
  if (all.length !== 8) return null;
  return all.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

/** Bytes of an address in its canonical family (IPv4-mapped IPv6 becomes IPv4); null if not an address. */
export function addressBytes(text: string): Bytes | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseV4(bare);
  if (v4) return v4;
  const v6 = parseV6(bare);
  if (!v6) return null;
  if (v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff)
    return v6.slice(12);
  return v6;
}

function inPrefix(bytes: Bytes, prefix: Bytes, bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const bit = 7 - (i % 8);
    const index = Math.floor(i / 8);
    if (((bytes[index]! >> bit) & 1) !== ((prefix[index]! >> bit) & 1)) return false;
  }
  return true;
}

function classifyV4([a, b, c, d]: Bytes): AddressKind {
  const is = (prefix: Bytes, bits: number) => inPrefix([a!, b!, c!, d!], prefix, bits);
  // Cloud metadata first: AWS/GCP/Azure/OpenStack, Alibaba; they lie inside ranges below.
  if (is([169, 254, 169, 254], 32) || is([100, 100, 100, 200], 32)) return 'metadata';
  if (is([0, 0, 0, 0], 8)) return 'unspecified';
  if (is([127, 0, 0, 0], 8)) return 'loopback';
  if (is([10, 0, 0, 0], 8) || is([172, 16, 0, 0], 12) || is([192, 168, 0, 0], 16)) return 'private';
  if (is([169, 254, 0, 0], 16)) return 'link-local';
  if (is([100, 64, 0, 0], 10)) return 'cgnat';
  if (is([224, 0, 0, 0], 4)) return 'multicast';
  if (
    is([240, 0, 0, 0], 4) || // reserved, and 255.255.255.255 broadcast
    is([192, 0, 0, 0], 24) || // IETF protocol assignments
    is([192, 0, 2, 0], 24) ||
    is([198, 51, 100, 0], 24) ||
    is([203, 0, 113, 0], 24) || // documentation
    is([198, 18, 0, 0], 15) || // benchmarking
    is([192, 88, 99, 0], 24) // 6to4 relay anycast
  )
    return 'reserved';
  return 'public';
}

function classifyV6(bytes: Bytes): AddressKind {
  const is = (prefix: Bytes, bits: number) => inPrefix(bytes, prefix, bits);
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zero(0, 16)) return 'unspecified';
  if (zero(0, 15) && bytes[15] === 1) return 'loopback';
  // IPv4 inside IPv6: IPv4-compatible ::a.b.c.d and NAT64 64:ff9b::/96 reach that IPv4 address.
  if (zero(0, 12)) return classifyV4(bytes.slice(12));
  if (is([0, 0x64, 0xff, 0x9b, ...Array<number>(12).fill(0)], 96))
    return classifyV4(bytes.slice(12));
  // 6to4 2002:aabb:ccdd::/48 carries a.b.c.d.
  if (is([0x20, 0x02, ...Array<number>(14).fill(0)], 16)) return classifyV4(bytes.slice(2, 6));
  // AWS's IPv6 metadata endpoint fd00:ec2::254, inside fc00::/7.
  const metadata = addressBytes('fd00:ec2::254')!;
  if (is(metadata, 128)) return 'metadata';
  if (is([0xfc, ...Array<number>(15).fill(0)], 7)) return 'private';
  if (is([0xfe, 0x80, ...Array<number>(14).fill(0)], 10)) return 'link-local';
  if (is([0xfe, 0xc0, ...Array<number>(14).fill(0)], 10)) return 'private'; // old site-local
  if (is([0xff, ...Array<number>(15).fill(0)], 8)) return 'multicast';
  if (
    is([0, 0x64, 0xff, 0x9b, 0, 1, ...Array<number>(10).fill(0)], 48) || // local-use NAT64
    is([0x01, ...Array<number>(15).fill(0)], 64) || // discard-only 100::/64
    is([0x20, 0x01, 0x0d, 0xb8, ...Array<number>(12).fill(0)], 32) || // documentation
    is([0x20, 0x01, 0, 0, ...Array<number>(12).fill(0)], 32) // Teredo (hides an IPv4 address)
  )
    return 'reserved';
  return 'public';
}

/** The kind of an IP address (IPv4, IPv6, IPv4-mapped IPv6, bracketed); null when it is none. */
export function classifyAddress(address: string): AddressKind | null {
  const bytes = addressBytes(address);
  if (!bytes) return null;
  return bytes.length === 4 ? classifyV4(bytes) : classifyV6(bytes);
}

/** One allow entry: a CIDR range (an address is a /32 or /128) or a host name (`*.` for its subdomains). */
export type AllowEntry =
  | { type: 'range'; bytes: Bytes; bits: number; text: string }
  | { type: 'host'; name: string; subdomains: boolean; text: string };

const HOST_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** Parses an allow entry to its canonical form, or explains what is wrong with it. */
export function parseAllowEntry(raw: string): AllowEntry | { problem: string } {
  const text = raw.trim().toLowerCase();
  if (text === '') return { problem: 'an allow entry may not be empty' };
  const [address = '', bits, ...more] = text.split('/');
  const bytes = addressBytes(address);
  if (bytes) {
    const max = bytes.length * 8;
    if (more.length > 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits)) || Number(bits) > max)
      return { problem: `"${raw}": the prefix length must be 0 to ${max}` };
    const prefix = bits === undefined ? max : Number(bits);
    const network = bytes.map((byte, index) => {
      const keep = Math.max(0, Math.min(8, prefix - index * 8));
      return byte & ((0xff << (8 - keep)) & 0xff);
    });
    return {
      type: 'range',
      bytes: network,
      bits: prefix,
      text: `${formatBytes(network)}/${prefix}`,
    };
  }
  if (bits !== undefined) return { problem: `"${raw}" is not a CIDR range` };
  const subdomains = text.startsWith('*.');
  const name = (subdomains ? text.slice(2) : text).replace(/\.$/, '');
  const labels = name.split('.');
  if (name.length > 253 || !labels.every((label) => HOST_LABEL.test(label)))
    return { problem: `"${raw}" is neither an IP address, a CIDR range nor a host name` };
  if (labels.every((label) => /^\d+$/.test(label)) || /^0x/.test(labels[0]!))
    return { problem: `"${raw}" looks like an IP address but is not one` };
  return { type: 'host', name, subdomains, text: subdomains ? `*.${name}` : name };
}

function formatBytes(bytes: Bytes): string {
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  // The shortest form, as URL and net print it.
  return new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
}

/** Whether an allow entry covers this host name (as in the URL) or this IP address. */
export function entryAllows(entry: AllowEntry, hostname: string, address: string | null): boolean {
  if (entry.type === 'host') {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    return entry.subdomains ? host.endsWith(`.${entry.name}`) : host === entry.name;
  }
  const bytes = address === null ? null : addressBytes(address);
  return (
    bytes !== null &&
    bytes.length === entry.bytes.length &&
    inPrefix(bytes, entry.bytes, entry.bits)
  );
}

/**
 * What became of one outbound request, as users see it: categories, never the raw socket error
 * or exact status (those go to the server log only), so the answers say little about networks
 * beyond the receiver.
 */
export const OUTBOUND_OUTCOMES = [
  'ok',
  'address-refused',
  'dns-failed',
  'connection-refused',
  'connection-failed',
  'timeout',
  'tls-failed',
  'http-3xx',
  'http-4xx',
  'http-5xx',
] as const;
export type OutboundOutcome = (typeof OUTBOUND_OUTCOMES)[number];
