import { describe, expect, it } from 'vitest';
import {
  classifyAddress,
  entryAllows,
  parseAllowEntry,
  type AllowEntry,
} from './outbound-address.js';

/** The address `new URL` makes of a host spelling, as the fence sees it. */
const hostOf = (spelling: string) => new URL(`http://${spelling}/`).hostname;

function entry(text: string): AllowEntry {
  const parsed = parseAllowEntry(text);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return parsed;
}

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'reserved'],
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('sees IPv4 inside IPv6: mapped, compatible, NAT64 and 6to4 forms', () => {
    expect(classifyAddress('::ffff:127.0.0.1')).toBe('loopback');
    expect(classifyAddress('::ffff:7f00:1')).toBe('loopback');
    expect(classifyAddress('::ffff:169.254.169.254')).toBe('metadata');
    expect(classifyAddress('::ffff:10.0.0.1')).toBe('private');
    expect(classifyAddress('::127.0.0.1')).toBe('loopback');
    expect(classifyAddress('64:ff9b::a9fe:a9fe')).toBe('metadata');
    expect(classifyAddress('2002:7f00:1::1')).toBe('loopback');
    expect(classifyAddress('::ffff:8.8.8.8')).toBe('public');
    expect(classifyAddress(hostOf('[::ffff:127.0.0.1]'))).toBe('loopback');
  });

  it('sees through odd IPv4 spellings once URL has normalised them', () => {
    expect(classifyAddress(hostOf('2130706433'))).toBe('loopback');
    expect(classifyAddress(hostOf('0x7f.1'))).toBe('loopback');
    expect(classifyAddress(hostOf('017700000001'))).toBe('loopback');
    expect(classifyAddress(hostOf('0xa9.0xfe.0xa9.0xfe'))).toBe('metadata');
    expect(classifyAddress(hostOf('127.1'))).toBe('loopback');
    expect(classifyAddress(hostOf('0'))).toBe('unspecified');
  });

  it('says null for names and nonsense', () => {
    expect(classifyAddress('localhost')).toBeNull();
    expect(classifyAddress('example.com')).toBeNull();
    expect(classifyAddress('1.2.3')).toBeNull();
    expect(classifyAddress('::g')).toBeNull();
  });
});

describe('allow entries', () => {
  it('parses addresses, ranges and host names to a canonical form', () => {
    expect(entry('127.0.0.1').text).toBe('127.0.0.1/32');
    expect(entry('10.1.2.3/8').text).toBe('10.0.0.0/8');
    expect(entry('FD00::1/16').text).toBe('fd00::/16');
    expect(entry('::1').text).toBe('::1/128');
    expect(entry('Hooks.Internal.').text).toBe('hooks.internal');
    expect(entry('*.corp.example').text).toBe('*.corp.example');
  });

  it('refuses what is none of them, naming it', () => {
    for (const bad of ['', '10.0.0.0/33', '::/129', 'a b', '-x.com', '1.2.3', '0x7f.1', 'x/8'])
      expect(parseAllowEntry(bad)).toHaveProperty('problem');
    expect(parseAllowEntry('10.0.0.0/33')).toEqual({
      problem: '"10.0.0.0/33": the prefix length must be 0 to 32',
    });
  });

  it('matches addresses in a range, IPv4-mapped ones too, and names exactly or by suffix', () => {
    const range = entry('127.0.0.2/32');
    expect(entryAllows(range, 'x', '127.0.0.2')).toBe(true);
    expect(entryAllows(range, 'x', '::ffff:127.0.0.2')).toBe(true);
    expect(entryAllows(range, 'x', '127.0.0.1')).toBe(false);
    expect(entryAllows(entry('10.0.0.0/8'), 'x', '10.200.0.1')).toBe(true);
    expect(entryAllows(entry('fd00::/8'), 'x', 'fd12::1')).toBe(true);
    expect(entryAllows(entry('fd00::/8'), 'x', '10.0.0.1')).toBe(false);
    const host = entry('hooks.internal');
    expect(entryAllows(host, 'hooks.internal', '10.0.0.1')).toBe(true);
    expect(entryAllows(host, 'HOOKS.internal.', null)).toBe(true);
    expect(entryAllows(host, 'evil.hooks.internal', null)).toBe(false);
    expect(entryAllows(host, 'hooks.internal.evil.com', null)).toBe(false);
    const wildcard = entry('*.internal');
    expect(entryAllows(wildcard, 'a.b.internal', null)).toBe(true);
    expect(entryAllows(wildcard, 'internal', null)).toBe(false);
    expect(entryAllows(wildcard, 'xinternal', null)).toBe(false);
  });
});
