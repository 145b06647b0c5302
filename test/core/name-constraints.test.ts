// core/name-constraints.ts directly: which names of a certificate fall within permitted and
// excluded subtrees of each form (RFC 5280 §4.2.1.10, §6.1.3 (b)(c)), and the syntax checks.
import { describe, expect, it } from 'vitest';
import { parseCertificate, type Certificate } from '../../src/core/certificate.js';
import { DerReader } from '../../src/core/der.js';
import type { GeneralName } from '../../src/core/general-name.js';
import { ComparisonBudget, checkNameConstraints, constrainedNames, validDnsName, validEmail, type ConstraintSet } from '../../src/core/name-constraints.js';
import { parseName } from '../../src/core/name.js';
import * as w from '../../src/core/der-writer.js';
import { certificate, dn, ext, gn, makeKey, type Der } from '../helpers/x509.js';

const NOW = Date.parse('2026-03-01T00:00:00Z');
const key = makeKey({ kind: 'ec', curve: 'P-256' });

function leaf(subject: Der, san: Der[] = []): Certificate {
  return parseCertificate(
    certificate({ issuer: dn(['CN', 'CA']), subject, notBefore: NOW, notAfter: NOW + 1000, key, signer: key, extensions: san.length ? [ext.san(san)] : [] }),
  );
}
const nameOf = (der: Der) => {
  const r = new DerReader(der);
  return parseName(r, r.next());
};
const dns = (value: string): GeneralName => ({ kind: 'dns', value });
const email = (value: string): GeneralName => ({ kind: 'email', value });
const uri = (value: string): GeneralName => ({ kind: 'uri', value });
const ip = (...bytes: number[]): GeneralName => ({ kind: 'ip', bytes: Uint8Array.from(bytes) });
const dir = (der: Der): GeneralName => ({ kind: 'dir', name: nameOf(der) });
const permit = (...base: GeneralName[]): ConstraintSet => ({ permitted: base.map((b) => ({ base: b })), excluded: null });
const exclude = (...base: GeneralName[]): ConstraintSet => ({ permitted: null, excluded: base.map((b) => ({ base: b })) });
const check = (cert: Certificate, ...sets: ConstraintSet[]) => checkNameConstraints(cert, sets, new ComparisonBudget(10_000));
const ok = { ok: true };

const host = (...names: string[]): Certificate =>
  leaf(
    dn(['CN', 'x']),
    names.map((n) => gn.dns(n)),
  );

describe('name constraints by form', () => {
  it('dNSName: the name or any subdomain, case-insensitive; empty constraint is everything', () => {
    expect(check(host('example.com'), permit(dns('example.com')))).toEqual(ok);
    expect(check(host('a.b.EXAMPLE.com'), permit(dns('example.com')))).toEqual(ok);
    expect(check(host('badexample.com'), permit(dns('example.com')))).toMatchObject({ ok: false, budget: false });
    expect(check(host('example.com'), exclude(dns('')))).toMatchObject({ ok: false });
    expect(check(host('x.example.com'), exclude(dns('example.com')))).toMatchObject({ ok: false, detail: /excluded/ });
    // Every name must be permitted, not just one.
    expect(check(host('a.example.com', 'a.other.org'), permit(dns('example.com')))).toMatchObject({ ok: false });
  });

  it('wildcards: permitted only if every expansion is, excluded if any could be', () => {
    expect(check(host('*.example.com'), permit(dns('example.com')))).toEqual(ok);
    expect(check(host('*.example.com'), permit(dns('a.example.com')))).toMatchObject({ ok: false });
    expect(check(host('*.example.com'), exclude(dns('a.example.com')))).toMatchObject({ ok: false });
  });

  it('a malformed dNSName constraint fails closed', () => {
    expect(check(host('example.com'), permit(dns('.example.com')))).toMatchObject({ ok: false, detail: /malformed dns/ });
  });

  it('iPAddress: address and mask, family must match, mask must be a prefix', () => {
    const at = (...b: number[]) => leaf(dn(['CN', 'x']), [gn.ip(b)]);
    expect(check(at(10, 1, 2, 3), permit(ip(10, 0, 0, 0, 255, 0, 0, 0)))).toEqual(ok);
    expect(check(at(11, 1, 2, 3), permit(ip(10, 0, 0, 0, 255, 0, 0, 0)))).toMatchObject({ ok: false });
    expect(check(at(192, 168, 1, 9), exclude(ip(192, 168, 1, 0, 255, 255, 255, 0)))).toMatchObject({ ok: false });
    const v6 = [0x20, 0x01, 0x0d, 0xb8, ...new Array(12).fill(0)];
    const v6mask = [...new Array(4).fill(0xff), ...new Array(12).fill(0)];
    expect(check(at(...v6.slice(0, 15), 1), permit(ip(...v6, ...v6mask)))).toEqual(ok);
    // An IPv4 address is not within an IPv6 subtree (and vice versa): the permitted set applies and misses.
    expect(check(at(10, 1, 2, 3), permit(ip(...v6, ...v6mask)))).toMatchObject({ ok: false });
    expect(check(at(10, 1, 2, 3), permit(ip(10, 0, 0, 0, 255, 0, 255, 0)))).toMatchObject({ ok: false, detail: /malformed ip/ });
  });

  it('rfc822Name: a mailbox, a host, or a domain; the local part compared exactly', () => {
    const mail = (m: string) => leaf(dn(['CN', 'x']), [gn.email(m)]);
    expect(check(mail('Alice@Example.com'), permit(email('Alice@example.com')))).toEqual(ok);
    expect(check(mail('alice@example.com'), permit(email('Alice@example.com')))).toMatchObject({ ok: false });
    expect(check(mail('bob@example.com'), permit(email('example.com')))).toEqual(ok);
    expect(check(mail('bob@mail.example.com'), permit(email('example.com')))).toMatchObject({ ok: false });
    expect(check(mail('bob@mail.example.com'), permit(email('.example.com')))).toEqual(ok);
    // The emailAddress attribute of the subject is an rfc822Name too (§4.2.1.10).
    expect(check(leaf(dn(['CN', 'x'], ['emailAddress', 'eve@evil.org'])), permit(email('example.com')))).toMatchObject({ ok: false });
  });

  it('URI: the host of the authority; a URI without one fails closed', () => {
    const at = (u: string) => leaf(dn(['CN', 'x']), [gn.uri(u)]);
    expect(check(at('https://www.example.com/x'), permit(uri('www.example.com')))).toEqual(ok);
    expect(check(at('https://a.example.com:8443/x'), permit(uri('.example.com')))).toEqual(ok);
    expect(check(at('https://example.com/x'), permit(uri('.example.com')))).toMatchObject({ ok: false });
    expect(check(at('urn:isbn:123'), permit(uri('example.com')))).toMatchObject({ ok: false });
    // Without a host the name cannot be judged: fails closed under an excluded subtree too (as Go does).
    expect(check(at('urn:isbn:123'), exclude(uri('example.com')))).toMatchObject({ ok: false });
  });

  it('directoryName: the subject must lie in the subtree (and SAN directory names too)', () => {
    const base = dn(['C', 'JP'], ['O', 'JPKI']);
    expect(check(leaf(dn(['C', 'JP'], ['O', 'JPKI'], ['CN', 'a'])), permit(dir(base)))).toEqual(ok);
    expect(check(leaf(dn(['C', 'JP'], ['O', 'Other'], ['CN', 'a'])), permit(dir(base)))).toMatchObject({ ok: false });
    expect(check(leaf(dn(['C', 'JP'], ['O', 'JPKI'], ['CN', 'a']), [gn.dir(dn(['C', 'US']))]), permit(dir(base)))).toMatchObject({ ok: false });
    expect(check(leaf(dn(['C', 'JP'], ['O', 'JPKI'], ['CN', 'a'])), exclude(dir(base)))).toMatchObject({ ok: false });
  });

  it('a constraint of another form does not apply; each CA constraint set must hold', () => {
    expect(check(host('example.com'), permit(email('example.com')))).toEqual(ok);
    expect(check(host('a.example.com'), permit(dns('example.com')), permit(dns('b.example.com')))).toMatchObject({ ok: false });
  });

  it('otherName: excluding the type bars every value; permitting needs the exact value', () => {
    const TYPE = '1.3.6.1.4.1.55555.7';
    const other = (v: string): GeneralName => ({ kind: 'other', typeId: TYPE, value: w.utf8(v) });
    // otherName ::= [0] { type-id OID, value [0] EXPLICIT ANY }
    const withOther = (v: string) => leaf(dn(['CN', 'x']), [w.implicit(0, w.concat([w.oid(TYPE), w.explicit(0, w.utf8(v))]), true)]);
    expect(check(withOther('a'), exclude(other('b')))).toMatchObject({ ok: false });
    expect(check(withOther('a'), permit(other('a')))).toEqual(ok);
    expect(check(withOther('a'), permit(other('b')))).toMatchObject({ ok: false });
  });

  it('comparisons are counted against a budget', () => {
    const sets = [permit(...Array.from({ length: 50 }, (_, i) => dns(`h${i}.example.com`)))];
    expect(checkNameConstraints(host('zzz.example.org'), sets, new ComparisonBudget(10))).toMatchObject({ ok: false, budget: true });
  });
});

describe('names and syntax', () => {
  it('constrainedNames: subject, subject emailAddress, then the SAN', () => {
    const c = leaf(dn(['CN', 'x'], ['emailAddress', 'a@example.com']), [gn.dns('example.com')]);
    expect(constrainedNames(c).map((n) => n.kind)).toEqual(['dir', 'email', 'dns']);
    expect(constrainedNames(leaf(dn(), [gn.dns('example.com')])).map((n) => n.kind)).toEqual(['dns']);
  });

  it('validDnsName and validEmail', () => {
    expect(validDnsName('a-b.example.com', false)).toBe(true);
    expect(validDnsName('*.example.com', true)).toBe(true);
    expect(validDnsName('*.example.com', false)).toBe(false);
    for (const bad of ['under_score.com', '1.2.3.4', '-a.com', 'a..b', '', 'a.com.']) expect(validDnsName(bad, true), bad).toBe(false);
    expect(validEmail('a.b+c@example.com')).toBe(true);
    for (const bad of ['@example.com', 'a@', 'a b@example.com', '"a"@example.com', 'a@under_score.com']) expect(validEmail(bad), bad).toBe(false);
  });
});
