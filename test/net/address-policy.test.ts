// The address classes, as a table, and the URL policy over them.
import { describe, expect, it } from 'vitest';
import { classifyAddress, refusedAddress, refusedUrl, type AddressClass } from '../../src/net/address-policy.js';

const TABLE: [string, AddressClass | null][] = [
  // IPv4
  ['8.8.8.8', 'public'],
  ['1.1.1.1', 'public'],
  ['203.0.114.1', 'public'],
  ['172.32.0.1', 'public'],
  ['100.128.0.1', 'public'],
  ['11.0.0.1', 'public'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.0.1', 'link_local'],
  ['169.254.169.254', 'metadata'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['100.64.0.1', 'cgnat'],
  ['100.127.255.255', 'cgnat'],
  ['192.0.2.1', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  // IPv6
  ['2001:4860:4860::8888', 'public'],
  ['2606:4700::1111', 'public'],
  ['::1', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['[::1]', 'loopback'],
  ['::', 'unspecified'],
  ['fe80::1', 'link_local'],
  ['febf::1', 'link_local'],
  ['fe80::1%eth0', 'link_local'],
  ['fc00::1', 'private'],
  ['fd12:3456::1', 'private'],
  ['fec0::1', 'private'],
  ['fd00:ec2::254', 'metadata'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'reserved'],
  // IPv4 inside IPv6: judged by the IPv4 address
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.1.2.3', 'private'],
  ['::ffff:169.254.169.254', 'metadata'],
  ['::ffff:8.8.8.8', 'public'],
  ['64:ff9b::a9fe:a9fe', 'metadata'],
  ['2002:7f00:1::', 'loopback'],
  ['::127.0.0.1', 'reserved'],
  // not addresses
  ['example.com', null],
  ['1.2.3', null],
  ['1.2.3.256', null],
  ['01.2.3.4', null],
  ['1:2:3:4:5:6:7:8:9', null],
  ['1::2::3', null],
  ['', null],
];

describe('classifyAddress', () => {
  it.each(TABLE)('%s → %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });
});

describe('refusedAddress', () => {
  it('refuses every non-public class unless allowPrivate', () => {
    for (const [address, cls] of TABLE) {
      if (cls === null) continue;
      const strict = refusedAddress(address, { allowHosts: [], allowPrivate: false });
      if (cls === 'public') expect(strict, address).toBeNull();
      else expect(strict, address).toContain(cls.replace('_', '-'));
      expect(refusedAddress(address, { allowHosts: [], allowPrivate: true }), address).toBeNull();
    }
  });
});

describe('refusedUrl', () => {
  const strict = { allowHosts: ['hooks.internal', '127.0.0.1', '[::1]', '169.254.169.254'], allowPrivate: false };
  const open = { ...strict, allowPrivate: true };
  it('normalises decimal, hex and octal IPv4 forms before judging them', () => {
    expect(new URL('http://2130706433/').hostname).toBe('127.0.0.1');
    expect(new URL('http://0x7f.1/').hostname).toBe('127.0.0.1');
    expect(new URL('http://0177.0.0.1/').hostname).toBe('127.0.0.1');
    for (const u of [
      'http://2130706433/',
      'http://0x7f.1/',
      'http://0177.0.0.1/',
      'https://0x7f000001/',
      'https://[::ffff:127.0.0.1]/',
      'https://[0:0:0:0:0:ffff:7f00:1]/',
    ])
      expect(refusedUrl(u, strict), u).toMatch(/loopback/);
    expect(refusedUrl('https://0xa9.0xfe.0xa9.0xfe/latest/meta-data', strict)).toMatch(/metadata/);
  });
  it.each([
    ['https://hooks.example.com/x?token=1', null],
    ['https://203.0.114.7/', null],
    ['http://hooks.internal/x', null],
    ['http://HOOKS.internal/x', null],
    ['http://hooks.example.com/x', /plain http/],
    ['ftp://hooks.example.com/x', /scheme/],
    ['file:///etc/passwd', /scheme/],
    ['https://user:pw@hooks.example.com/', /credentials/],
    ['https://localhost/', /loopback name/],
    ['https://a.localhost/', /loopback name/],
    ['http://127.0.0.1:8080/', /loopback/],
    ['http://[::1]:8080/', /loopback/],
    ['http://169.254.169.254/latest/meta-data/', /metadata/],
    ['https://[fd00:ec2::254]/', /metadata/],
    ['https://10.0.0.5/', /private/],
    ['https://100.64.0.1/', /cgnat/],
    ['https://[fe80::1]/', /link-local/],
    ['https://0.0.0.0/', /unspecified/],
    ['not a url', /not a valid URL/],
  ] as const)('%s', (url, why) => {
    if (why === null) expect(refusedUrl(url, strict)).toBeNull();
    else expect(refusedUrl(url, strict)).toMatch(why);
  });
  it('allowPrivate lets literal private addresses and localhost through, never another scheme or plain http elsewhere', () => {
    expect(refusedUrl('http://127.0.0.1:8080/', open)).toBeNull();
    expect(refusedUrl('http://[::1]:8080/', open)).toBeNull();
    expect(refusedUrl('https://localhost/', open)).toBeNull();
    expect(refusedUrl('http://10.0.0.5/', open)).toMatch(/plain http/);
    expect(refusedUrl('ftp://127.0.0.1/', open)).toMatch(/scheme/);
  });
});
