// The terminal side on the real PC/SC stack: src/card talks to pcscd, pcscd's vpcd driver to a
// virtual My Number Card (src/dev/vcard) in its own thread. Reads, PIN counters, wrong and
// blocked PINs, signatures the core verifies, card removal mid-operation, two readers, a card
// that is not a My Number Card, exclusive access.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CardError } from '../../src/card/errors.js';
import { openPcsc } from '../../src/card/pcsc.js';
import { authenticate, chooseReader, openJpkiCard, readCard, signDocument } from '../../src/card/terminal.js';
import type { CardReaders, ReaderEvent } from '../../src/card/transport.js';
import { loadTrustStore } from '../../src/app/trust-store.js';
import { verifyAuthentication, verifyDocumentSignature } from '../../src/core/verify.js';
import { startVirtualCard, type VirtualCardHandle } from '../../src/dev/vcard/host.js';
import type { HolderCardOptions } from '../../src/dev/vcard/holder-card.js';
import type { PkiDir } from '../../src/dev/sim/jlis.js';
import { makeTestPki, T0 } from '../helpers/service.js';
import { READER0, READER1, acquireVpcd, waitForReader } from '../helpers/vpcd.js';

let release: () => void;
let readers: CardReaders;
let pki: { dir: string; pki: PkiDir; holder(id: string): { cert: Uint8Array; root: string } };
const cards: VirtualCardHandle[] = [];

beforeAll(async () => {
  release = await acquireVpcd();
  pki = makeTestPki();
  readers = openPcsc();
}, 600_000);

afterEach(async () => {
  for (const c of cards.splice(0)) await c.close();
  await waitForReader(readers, READER0, false);
  await waitForReader(readers, READER1, false);
});

afterAll(() => {
  readers?.close();
  release?.();
});

/** A virtual card for holder a8 (and signing holder s2) in a slot, seen by pcscd. */
async function insert(card: Partial<HolderCardOptions> = {}, slot = 0): Promise<VirtualCardHandle> {
  const vc = await startVirtualCard({ kind: 'jpki', slot, pkiDir: pki.dir, card: { holder: 'a8', signingHolder: 's2', ...card } });
  cards.push(vc);
  await waitForReader(readers, slot ? READER1 : READER0, true);
  return vc;
}

const ctx = () => ({ anchors: loadTrustStore(pki.pki.trustPems) });
const codeOf = async (p: Promise<unknown>): Promise<CardError> => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CardError);
    return err as CardError;
  }
  throw new Error('expected a CardError');
};

describe('readers', () => {
  it('lists both vpcd readers, empty until a card goes in; watch() reports insertion and removal', async () => {
    const before = await readers.list();
    expect(before.map((r) => r.name)).toEqual(expect.arrayContaining([READER0, READER1]));
    expect(before.every((r) => !r.cardPresent)).toBe(true);
    expect((await codeOf(chooseReader(readers))).code).toBe('no_card');
    expect((await codeOf(readers.connect(READER0))).code).toBe('no_card');
    expect((await codeOf(openJpkiCard({ readers, reader: 'No Such Reader' }))).code).toBe('no_reader');

    const events: ReaderEvent[] = [];
    const stop = readers.watch((e) => events.push(e));
    const vc = await insert();
    const listed = (await readers.list()).find((r) => r.name === READER0)!;
    expect(Buffer.from(listed.atr!).toString('hex')).toBe('3be000ff8131fe4514');
    await vc.remove();
    await waitForReader(readers, READER0, false);
    const until = Date.now() + 10_000;
    while (!events.some((e) => e.type === 'card-removed' && e.reader === READER0) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    stop();
    expect(events.filter((e) => e.reader === READER0).map((e) => e.type)).toEqual(expect.arrayContaining(['card-inserted', 'card-removed']));
  });
});

describe('reading the card', () => {
  it.each([false, true])('certificates, token and counters (extended length: %s)', async (extendedLength) => {
    const vc = await insert();
    const card = await openJpkiCard({ readers, extendedLength });
    try {
      const s = await readCard(card);
      expect(s.reader).toBe(READER0);
      expect(s.token).toBe('JPKIAPICCTOKEN2');
      expect(s.form).toBe('card');
      expect(Buffer.from(s.authenticationCertificate).equals(Buffer.from(pki.holder('a8').cert))).toBe(true);
      expect(Buffer.from(s.authenticationCa).equals(Buffer.from(pki.pki.rootCert(pki.holder('a8').root)))).toBe(true);
      expect(s.triesLeft).toEqual({ authentication: 3, signing: 5 });
      expect(s.signingCertificate).toBeUndefined();
      // The signing certificate is readable only after the signing password.
      expect((await codeOf(card.certificate('signing'))).code).toBe('security_status');
      const full = await readCard(card, 'ABC123');
      expect(Buffer.from(full.signingCertificate!).equals(Buffer.from(pki.holder('s2').cert))).toBe(true);
      expect(Buffer.from(full.signingCa!).equals(Buffer.from(pki.pki.rootCert(pki.holder('s2').root)))).toBe(true);
    } finally {
      await card.close();
    }
    const reads = (await vc.state()).received.filter((c) => c.ins === 0xb0);
    expect(reads.every((c) => c.extended === extendedLength)).toBe(true);
    // Short APDUs chain READ BINARY: a certificate of over 1 KB takes several.
    if (!extendedLength) expect(reads.length).toBeGreaterThan(8);
  });

  it.each([
    ['JPKIAPGPSETOKEN', 'android'],
    ['JPKIAPIOSTOKEN', 'iphone'],
    ['SOMETHINGELSE', 'unknown'],
  ])('token %s reads as %s', async (token, form) => {
    await insert({ token });
    const card = await openJpkiCard({ readers });
    try {
      expect(await card.token()).toEqual({ token, form });
    } finally {
      await card.close();
    }
  });

  it('a card without a JPKI AP is not_jpki', async () => {
    cards.push(await startVirtualCard({ kind: 'other', slot: 0 }));
    await waitForReader(readers, READER0, true);
    const e = await codeOf(openJpkiCard({ readers }));
    expect(e.code).toBe('not_jpki');
    expect(e.sw).toBe(0x6a82);
  });
});

describe('PINs', () => {
  it('a malformed PIN never reaches the card, not even as a counter read', async () => {
    const vc = await insert();
    const card = await openJpkiCard({ readers });
    try {
      for (const pin of ['123', '12345', 'abcd']) expect((await codeOf(card.verifyPin('authentication', pin))).code).toBe('pin_format');
      for (const pw of ['abc123', 'ABC12', 'ABC-123']) expect((await codeOf(card.verifyPin('signing', pw))).code).toBe('pin_format');
    } finally {
      await card.close();
    }
    const s = await vc.state();
    expect(s.received.filter((c) => c.ins === 0x20)).toEqual([]);
    expect(s.triesLeft).toEqual({ authentication: 3, signing: 5 });
  });

  it('wrong PINs say how many tries remain; the third blocks (63 C0, then 69 83); a blocked PIN is not tried', async () => {
    const vc = await insert();
    const card = await openJpkiCard({ readers });
    try {
      const first = await codeOf(card.verifyPin('authentication', '0000'));
      expect([first.code, first.triesLeft, first.sw]).toEqual(['wrong_pin', 2, 0x63c2]);
      expect(first.message).not.toContain('0000');
      expect(await card.pinTriesLeft('authentication')).toBe(2);
      // A right PIN restores the counter.
      await card.verifyPin('authentication', '1234');
      expect(await card.pinTriesLeft('authentication')).toBe(3);
      expect((await codeOf(card.verifyPin('authentication', '1111'))).triesLeft).toBe(2);
      expect((await codeOf(card.verifyPin('authentication', '2222'))).triesLeft).toBe(1);
      const last = await codeOf(card.verifyPin('authentication', '3333'));
      expect([last.code, last.triesLeft]).toEqual(['pin_blocked', 0]);
      expect((await codeOf(card.pinTriesLeft('authentication'))).code).toBe('pin_blocked');
      const sent = (await vc.state()).received.filter((c) => c.ins === 0x20 && c.hasData).length;
      const blocked = await codeOf(card.verifyPin('authentication', '1234'));
      expect([blocked.code, blocked.sw]).toEqual(['pin_blocked', 0x6983]);
      // The counter read said blocked: the PIN itself was not sent.
      expect((await vc.state()).received.filter((c) => c.ins === 0x20 && c.hasData).length).toBe(sent);
      // The signing password has its own counter.
      expect(await card.pinTriesLeft('signing')).toBe(5);
    } finally {
      await card.close();
    }
    // Counters survive the reset that closing the session does.
    const again = await openJpkiCard({ readers });
    try {
      expect((await readCard(again)).triesLeft).toEqual({ authentication: 'blocked', signing: 5 });
    } finally {
      await again.close();
    }
    expect((await vc.state()).triesLeft).toEqual({ authentication: 0, signing: 5 });
  });

  it('the signing password counts down from 5', async () => {
    await insert({ passwordTriesLeft: 2 });
    const card = await openJpkiCard({ readers });
    try {
      expect(await card.pinTriesLeft('signing')).toBe(2);
      const e = await codeOf(card.verifyPin('signing', 'WRONG1'));
      expect([e.code, e.triesLeft]).toEqual(['wrong_pin', 1]);
      expect(e.message).toMatch(/1 try left/);
      expect((await codeOf(card.verifyPin('signing', 'WRONG2'))).code).toBe('pin_blocked');
      expect((await codeOf(signDocument(card, Buffer.from('doc'), 'ABC123'))).code).toBe('pin_blocked');
    } finally {
      await card.close();
    }
  });
});

describe('signing', () => {
  it('authentication: the card signs the challenge and the core verifies it', async () => {
    await insert();
    const card = await openJpkiCard({ readers });
    const challenge = Buffer.from('a fresh challenge from the service');
    try {
      expect((await codeOf(card.sign('authentication', challenge))).code).toBe('security_status');
      const { certificate, signature } = await authenticate(card, challenge, '1234');
      expect(signature.length).toBe(256);
      const r = verifyAuthentication({ certificate, challenge, signature, time: T0 + 60_000 }, ctx());
      expect(r.verdict.status).toBe('valid');
      const wrong = verifyAuthentication({ certificate, challenge: Buffer.from('another'), signature, time: T0 + 60_000 }, ctx());
      expect(wrong.verdict.status).toBe('invalid');
    } finally {
      await card.close();
    }
  });

  it('signature: the signing key after the password, extended length too', async () => {
    await insert();
    const card = await openJpkiCard({ readers, extendedLength: true });
    const doc = Buffer.from('契約書: the holder agrees');
    try {
      // The authentication PIN does not open the signing key.
      await card.verifyPin('authentication', '1234');
      expect((await codeOf(card.sign('signing', doc))).code).toBe('security_status');
      const { certificate, signature } = await signDocument(card, doc, 'ABC123');
      const r = verifyDocumentSignature({ certificate, data: doc, signature, time: T0 + 60_000 }, ctx());
      expect(r.verdict.status).toBe('valid');
    } finally {
      await card.close();
    }
  });

  it('a verified PIN does not outlive the session: closing resets the card', async () => {
    await insert();
    const card = await openJpkiCard({ readers });
    await card.verifyPin('authentication', '1234');
    await card.close();
    const next = await openJpkiCard({ readers });
    try {
      expect((await codeOf(next.sign('authentication', Buffer.from('x')))).code).toBe('security_status');
    } finally {
      await next.close();
    }
  });
});

describe('the card leaves, another program holds it, two readers', () => {
  it.each([
    ['while a certificate is read', 0xb0, 3],
    ['while the PIN is verified', 0x20, 2],
    ['while the card signs', 0x2a, 1],
  ])('removed %s: card_removed', async (_, ins, nth) => {
    const vc = await insert();
    const card = await openJpkiCard({ readers });
    await vc.removeOn(ins, nth);
    try {
      const e = await codeOf(authenticate(card, Buffer.from('challenge'), '1234'));
      expect(e.code).toBe('card_removed');
    } finally {
      await card.close();
    }
    // The reader is empty afterwards, and a fresh open says so.
    await waitForReader(readers, READER0, false);
    expect((await codeOf(openJpkiCard({ readers, reader: READER0 }))).code).toBe('no_card');
  });

  it('an exclusive session keeps other programs out (reader_busy) until it closes', async () => {
    await insert();
    const card = await openJpkiCard({ readers, reader: READER0 });
    const other = openPcsc();
    try {
      expect((await codeOf(other.connect(READER0))).code).toBe('reader_busy');
      await card.close();
      const t = await other.connect(READER0);
      await t.close();
    } finally {
      other.close();
    }
  });

  it('cards in two readers: an unnamed open is ambiguous, a named one reads its own card', async () => {
    await insert({ holder: 'a8' }, 0);
    await insert({ holder: 'a9', signingHolder: undefined }, 1);
    const e = await codeOf(openJpkiCard({ readers }));
    expect(e.code).toBe('reader_ambiguous');
    expect(e.message).toContain(READER1);
    for (const [reader, holder] of [
      [READER0, 'a8'],
      [READER1, 'a9'],
    ]) {
      const card = await openJpkiCard({ readers, reader });
      try {
        expect(Buffer.from(await card.certificate('authentication')).equals(Buffer.from(pki.holder(holder).cert))).toBe(true);
      } finally {
        await card.close();
      }
    }
    // The card in slot 1 has no signing key: its password EF is not there.
    const c1 = await openJpkiCard({ readers, reader: READER1 });
    try {
      expect((await codeOf(c1.pinTriesLeft('signing'))).code).toBe('file_not_found');
      expect((await readCard(c1)).triesLeft).toEqual({ authentication: 3, signing: 'absent' });
    } finally {
      await c1.close();
    }
  });
});
