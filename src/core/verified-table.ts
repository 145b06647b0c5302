// The verified-certificate table: which end-entity certificates passed the full check (profile,
// path to an anchor, the CA's signature, key usage, policies, issuer generation), kept in shared
// memory so a certificate any pool thread has checked costs the others one RSA verify (the card's
// own signature) instead of two. Each thread's path cache (core/verify.ts) still keeps parsed
// certificates and keys for its own repeat holders; this table is what the threads share, 40
// bytes a certificate.
//
// What an entry does not hold: revocation. A hit runs the revocation step again over the
// certificate and its anchor (a bloom filter and a binary search), so an entry never outlives the
// data that revoked its certificate, and validity is judged again at the request's time.
//
// Layout (Int32 words): a header, then sets of WAYS slots. A slot is a sequence word, the SHA-256
// fingerprint (8 words) and a word holding the context and the anchor's index. Writers take a
// slot by moving its sequence word from even to odd (compareExchange), write, and release it at
// the next even value; readers read the sequence, the slot and the sequence again, all through
// Atomics, and take the slot only when neither read saw a writer. A torn or racing read is a miss,
// never a wrong hit: the whole 32-byte fingerprint and the context must match.
import { createHash } from 'node:crypto';
import type { Certificate } from './certificate.js';
import type { Purpose } from './jpki.js';

const MAGIC = 0x4a504b56; // 'JPKV'
const FORMAT = 1;
const HEADER_WORDS = 8; // magic, format, sets, anchors tag (4 words), spare
const SLOT_WORDS = 10; // sequence, fingerprint ×8, context | anchor << 8
const WAYS = 4;
const MAX_ANCHORS = 0xffff;

/** What the checked work depended on besides the certificate's bytes and the anchors: the purpose
 *  (profile, key usage, policy) and whether test-hierarchy certificates were accepted. */
export function verifiedContext(want: Purpose, allowTestHierarchy: boolean): number {
  return (want === 'signing' ? 2 : 1) | (allowTestHierarchy ? 4 : 0);
}

/** Names the trust store a table was filled under: its anchors in order, by fingerprint. */
function anchorsTag(anchors: readonly Certificate[]): Int32Array {
  const h = createHash('sha256');
  for (const a of anchors) h.update(a.der);
  const d = h.digest();
  return new Int32Array([d.readInt32LE(0), d.readInt32LE(4), d.readInt32LE(8), d.readInt32LE(12)]);
}

export class VerifiedTableError extends Error {
  override readonly name = 'VerifiedTableError';
}

export class VerifiedTable {
  private readonly words: Int32Array;
  private readonly setMask: number;
  /** This thread's lookups since the owner last read them (pool metrics). */
  hits = 0;
  misses = 0;

  private constructor(
    readonly buffer: SharedArrayBuffer,
    private readonly anchors: readonly Certificate[],
  ) {
    this.words = new Int32Array(buffer);
    this.setMask = this.words[2] - 1;
  }

  /** Shared memory for about `entries` certificates (rounded up to a power of two), for the
   *  anchors given in the order every attaching thread will give them. */
  static allocate(entries: number, anchors: readonly Certificate[]): SharedArrayBuffer {
    if (anchors.length > MAX_ANCHORS) throw new VerifiedTableError(`at most ${MAX_ANCHORS} trust anchors`);
    let sets = 1;
    while (sets * WAYS < entries) sets *= 2;
    const buffer = new SharedArrayBuffer((HEADER_WORDS + sets * WAYS * SLOT_WORDS) * 4);
    const w = new Int32Array(buffer);
    w[0] = MAGIC;
    w[1] = FORMAT;
    w[2] = sets;
    w.set(anchorsTag(anchors), 3);
    return buffer;
  }

  /** A thread's view of the table. Refused when it was made for other anchors: an entry's anchor
   *  index would name another certificate. */
  static attach(buffer: SharedArrayBuffer, anchors: readonly Certificate[]): VerifiedTable {
    const w = new Int32Array(buffer);
    if (w[0] !== MAGIC || w[1] !== FORMAT) throw new VerifiedTableError('not a verified-certificate table of this format');
    const tag = anchorsTag(anchors);
    for (let i = 0; i < 4; i++) if (w[3 + i] !== tag[i]) throw new VerifiedTableError('the table was made for another trust store');
    return new VerifiedTable(buffer, anchors);
  }

  get capacity(): number {
    return (this.setMask + 1) * WAYS;
  }

  /** The anchor that issued the certificate with this SHA-256 when it passed under `context`, or
   *  null (never checked, evicted, or being written this instant). */
  lookup(sha256: Uint8Array, context: number): Certificate | null {
    const w = this.words;
    const fp = fingerprintWords(sha256);
    const base = HEADER_WORDS + (fp[0] & this.setMask) * WAYS * SLOT_WORDS;
    for (let way = 0; way < WAYS; way++) {
      const s = base + way * SLOT_WORDS;
      const seq = Atomics.load(w, s);
      if (seq & 1 || seq === 0) continue; // being written, or never written
      let same = true;
      for (let i = 0; i < 8 && same; i++) same = Atomics.load(w, s + 1 + i) === fp[i];
      const ctx = Atomics.load(w, s + 9);
      if (!same || (ctx & 0xff) !== context || Atomics.load(w, s) !== seq) continue;
      const anchor = this.anchors[ctx >>> 8];
      if (anchor) {
        this.hits++;
        return anchor;
      }
    }
    this.misses++;
    return null;
  }

  /** Records a certificate that passed the full check under `context`, issued by `anchor`. A busy
   *  slot is left alone (another thread is recording; this one is only a cache). */
  record(sha256: Uint8Array, context: number, anchor: Certificate): void {
    const index = this.anchors.indexOf(anchor);
    if (index < 0) return;
    const w = this.words;
    const fp = fingerprintWords(sha256);
    const base = HEADER_WORDS + (fp[0] & this.setMask) * WAYS * SLOT_WORDS;
    // An empty way first, else one chosen by the fingerprint (a cheap stand-in for random).
    let target = base + ((fp[1] >>> 0) % WAYS) * SLOT_WORDS;
    for (let way = 0; way < WAYS; way++) {
      const s = base + way * SLOT_WORDS;
      if (Atomics.load(w, s) === 0) {
        target = s;
        break;
      }
    }
    const seq = Atomics.load(w, target);
    if (seq & 1 || Atomics.compareExchange(w, target, seq, seq + 1) !== seq) return;
    for (let i = 0; i < 8; i++) Atomics.store(w, target + 1 + i, fp[i]);
    Atomics.store(w, target + 9, context | (index << 8));
    // Past 2^31 the word wraps negative; 0 stays reserved for "never written".
    Atomics.store(w, target, seq + 2 === 0 ? 2 : (seq + 2) | 0);
  }
}

const scratch = new Int32Array(8);

/** The fingerprint as eight words (little-endian), in a scratch array: no allocation per lookup. */
function fingerprintWords(sha256: Uint8Array): Int32Array {
  if (sha256.length !== 32) throw new VerifiedTableError('a SHA-256 fingerprint is 32 bytes');
  for (let i = 0; i < 8; i++) {
    const o = i * 4;
    scratch[i] = sha256[o] | (sha256[o + 1] << 8) | (sha256[o + 2] << 16) | (sha256[o + 3] << 24);
  }
  return scratch;
}
