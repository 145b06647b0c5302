// X.501 Names: raw DER for exact comparison, a normalised key for RFC 5280 §7.1 matching
// (case-insensitive, whitespace-folded strings), and a readable RFC 4514-style form.
import { DerError, DerReader, Tag, bytesEqual, toHex, type Element } from './der.js';

export interface Attribute {
  readonly type: string; // OID
  readonly tag: number; // string type tag of the value
  readonly value: Uint8Array;
}

export interface Name {
  readonly der: Uint8Array; // the whole Name, for byte comparison
  readonly rdns: readonly (readonly Attribute[])[];
  /** Normalised form: equal keys ⇔ names match under RFC 5280 §7.1. Computed on first use. */
  readonly key: string;
}

export const OID_EMAIL_ADDRESS = '1.2.840.113549.1.9.1';

const SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  [OID_EMAIL_ADDRESS]: 'emailAddress',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

const STRING_TAGS = new Set<number>([
  Tag.UTF8String,
  Tag.PrintableString,
  Tag.TeletexString,
  Tag.IA5String,
  Tag.VisibleString,
  Tag.UniversalString,
  Tag.BMPString,
  0x12 /* NumericString */,
]);

/** Decodes an ASN.1 character string; null for a non-string type. */
export function decodeString(tag: number, v: Uint8Array): string | null {
  switch (tag) {
    case Tag.UTF8String:
      try {
        return utf8.decode(v);
      } catch {
        throw new DerError('bad_value', 'invalid UTF-8 in UTF8String', 0);
      }
    case Tag.PrintableString:
    case Tag.IA5String:
    case Tag.VisibleString:
    case 0x12:
      for (const b of v) if (b > 0x7f) throw new DerError('bad_value', 'non-ASCII byte in an ASCII string type', 0);
      return latin1.decode(v);
    case Tag.TeletexString:
      return latin1.decode(v);
    case Tag.BMPString: {
      if (v.length % 2) throw new DerError('bad_value', 'odd-length BMPString', 0);
      let s = '';
      for (let i = 0; i < v.length; i += 2) s += String.fromCharCode((v[i] << 8) | v[i + 1]);
      return s;
    }
    case Tag.UniversalString: {
      if (v.length % 4) throw new DerError('bad_value', 'UniversalString length not a multiple of 4', 0);
      let s = '';
      for (let i = 0; i < v.length; i += 4) {
        const cp = ((v[i] << 24) | (v[i + 1] << 16) | (v[i + 2] << 8) | v[i + 3]) >>> 0;
        if (cp > 0x10ffff) throw new DerError('bad_value', 'UniversalString code point out of range', 0);
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    default:
      return null;
  }
}

/** caseIgnoreMatch approximation of RFC 4518 preparation: NFKC, lower case, trimmed, inner runs
 *  of spaces folded to one. */
function foldString(s: string): string {
  // ASCII needs no NFKC; most DNs (all J-LIS ones) take this path.
  const ascii = /^[\x20-\x7e]*$/.test(s);
  return (ascii ? s : s.normalize('NFKC')).toLowerCase().trim().replace(/\s+/g, ' ');
}

function attrKey(a: Attribute): string {
  const s = STRING_TAGS.has(a.tag) ? decodeString(a.tag, a.value) : null;
  // Non-string values compare as exact bytes (type tag included).
  return s === null ? `${a.type}=#${a.tag.toString(16)}${toHex(a.value)}` : `${a.type}=${JSON.stringify(foldString(s))}`;
}

/** Keys of recently seen names by DER: every end entity of a root shares the issuer DN, so the
 *  costly normalisation runs once per distinct name. Bounded; cleared when full. */
const KEY_CACHE_MAX = 4096;
const keyCache = new Map<string, string>();

function computeKey(rdns: readonly (readonly Attribute[])[]): string {
  return rdns.map((rdn) => (rdn.length === 1 ? attrKey(rdn[0]) : rdn.map(attrKey).sort().join('+'))).join(',');
}

class ParsedName implements Name {
  private cachedKey: string | null = null;
  constructor(
    readonly der: Uint8Array,
    readonly rdns: readonly (readonly Attribute[])[],
  ) {}

  get key(): string {
    if (this.cachedKey !== null) return this.cachedKey;
    const id = this.der.length > 0 && this.der.length <= 512 ? latin1.decode(this.der) : null;
    let k = id !== null ? keyCache.get(id) : undefined;
    if (k === undefined) {
      k = computeKey(this.rdns);
      if (id !== null) {
        if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
        keyCache.set(id, k);
      }
    }
    this.cachedKey = k;
    return k;
  }
}

export function parseName(r: DerReader, e: Element): Name {
  const rdnsReader = r.enter(e);
  const rdns: Attribute[][] = [];
  while (rdnsReader.hasMore()) {
    rdns.push(readRdn(rdnsReader.sequence('RDN', Tag.SET)));
  }
  const name = new ParsedName(r.raw(e), rdns);
  // Validate string contents now (malformed UTF-8 etc. is a parse error, not a later surprise).
  for (const rdn of rdns) for (const a of rdn) if (STRING_TAGS.has(a.tag)) decodeString(a.tag, a.value);
  return name;
}

/** A name one RDN below `parent` (a nameRelativeToCRLIssuer made absolute). It has no DER of its
 *  own: comparisons go through the normalised key. */
export function childName(parent: Name, rdn: readonly Attribute[]): Name {
  return new ParsedName(new Uint8Array(0), [...parent.rdns, rdn]);
}

/** Reads the attributes of an RDN (a SET) from `r`'s contents. */
export function readRdn(r: DerReader): Attribute[] {
  const rdn: Attribute[] = [];
  while (r.hasMore()) {
    const atv = r.sequence('AttributeTypeAndValue');
    const type = atv.oid('attribute type');
    const ve = atv.next();
    atv.done();
    rdn.push({ type, tag: ve.tag, value: atv.value(ve) });
  }
  if (rdn.length === 0) throw new DerError('bad_value', 'empty RDN', r.pos);
  return rdn;
}

/** Names match under RFC 5280 §7.1 (identical DER first: the common case costs no folding). */
export function namesMatch(a: Name, b: Name): boolean {
  return (a.der.length > 0 && bytesEqual(a.der, b.der)) || a.key === b.key;
}

/** RFC 4514-style text, most significant RDN last, for logs of CA names and error details. */
export function formatName(n: Name): string {
  return [...n.rdns]
    .reverse()
    .map((rdn) =>
      rdn
        .map((a) => {
          let v: string | null = null;
          try {
            v = decodeString(a.tag, a.value);
          } catch {
            v = null;
          }
          const t = SHORT[a.type] ?? a.type;
          return v === null ? `${t}=#${toHex(a.value)}` : `${t}=${v.replace(/([,+"\\<>;=])/g, '\\$1')}`;
        })
        .join('+'),
    )
    .join(', ');
}

const valueCache = new WeakMap<Name, Map<string, string[]>>();

/** Attribute values of one type, decoded, in order (memoised per name object). */
/** Whether an attribute of `type` in `n` reads `value`: the classification of every fresh
 *  certificate asks this, and it needs no cached arrays of decoded values. */
export function nameHas(n: Name, type: string, value: string): boolean {
  for (const rdn of n.rdns) for (const a of rdn) if (a.type === type && decodeString(a.tag, a.value) === value) return true;
  return false;
}

export function nameValues(n: Name, type: string): string[] {
  let m = valueCache.get(n);
  if (!m) valueCache.set(n, (m = new Map()));
  let out = m.get(type);
  if (!out) {
    out = [];
    for (const rdn of n.rdns) for (const a of rdn) if (a.type === type) out.push(decodeString(a.tag, a.value) ?? '');
    m.set(type, out);
  }
  return out;
}

/** True when `inner` is `outer` or lies below it (RDN-wise prefix, RFC 5280 directoryName
 *  constraints). */
export function nameWithin(inner: Name, outer: Name): boolean {
  if (outer.rdns.length > inner.rdns.length) return false;
  for (let i = 0; i < outer.rdns.length; i++) {
    const a = outer.rdns[i].map(attrKey).sort().join('+');
    const b = inner.rdns[i].map(attrKey).sort().join('+');
    if (a !== b) return false;
  }
  return true;
}
