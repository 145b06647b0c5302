// GeneralName (RFC 5280 §4.2.1.6), shared by subjectAltName, name constraints, CRL distribution
// points and authorityKeyIdentifier.
import { DerError, DerReader, Tag, ctx, decodeOid, type Element } from './der.js';
import { parseName, type Name } from './name.js';

export type GeneralName =
  | { kind: 'other'; typeId: string; value: Uint8Array /* the [0] EXPLICIT contents, one TLV */ }
  | { kind: 'email'; value: string }
  | { kind: 'dns'; value: string }
  | { kind: 'x400'; raw: Uint8Array }
  | { kind: 'dir'; name: Name }
  | { kind: 'edi'; raw: Uint8Array }
  | { kind: 'uri'; value: string }
  | { kind: 'ip'; bytes: Uint8Array }
  | { kind: 'rid'; oid: string };

export type GeneralNameKind = GeneralName['kind'];

function ia5(r: DerReader, e: Element, what: string): string {
  const v = r.value(e);
  let s = '';
  for (const b of v) {
    if (b > 0x7f) throw new DerError('bad_value', `${what}: non-IA5 byte`, e.start);
    s += String.fromCharCode(b);
  }
  return s;
}

export function readGeneralName(r: DerReader): GeneralName {
  const e = r.next();
  switch (e.tag) {
    case ctx(0, true): {
      const inner = r.enter(e);
      const typeId = inner.oid('otherName type-id');
      const ve = inner.expect(ctx(0, true), 'otherName value');
      inner.done();
      const vr = r.enter(ve);
      const v = vr.next();
      vr.done();
      return { kind: 'other', typeId, value: r.raw(v) };
    }
    case ctx(1, false):
      return { kind: 'email', value: ia5(r, e, 'rfc822Name') };
    case ctx(2, false):
      return { kind: 'dns', value: ia5(r, e, 'dNSName') };
    case ctx(3, true):
      return { kind: 'x400', raw: r.raw(e) };
    case ctx(4, true): {
      const inner = r.enter(e);
      const ne = inner.expect(Tag.SEQUENCE, 'directoryName');
      inner.done();
      return { kind: 'dir', name: parseName(inner, ne) };
    }
    case ctx(5, true):
      return { kind: 'edi', raw: r.raw(e) };
    case ctx(6, false):
      return { kind: 'uri', value: ia5(r, e, 'uniformResourceIdentifier') };
    case ctx(7, false):
      return { kind: 'ip', bytes: r.value(e) };
    case ctx(8, false):
      return { kind: 'rid', oid: decodeOid(r.buf, e.valueStart, e.end) };
    default:
      throw new DerError('wrong_tag', `unknown GeneralName tag 0x${e.tag.toString(16)}`, e.start);
  }
}

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName, read from the contents of `r`. */
export function readGeneralNames(r: DerReader, what: string): GeneralName[] {
  const out: GeneralName[] = [];
  while (r.hasMore()) out.push(readGeneralName(r));
  if (out.length === 0) throw new DerError('bad_value', `${what}: empty GeneralNames`, r.pos);
  return out;
}
