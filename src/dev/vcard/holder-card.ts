// A virtual My Number Card for holders of a simulated J-LIS folder (pki init): the
// authentication holder's certificate and key, and optionally a signing holder's, with the
// issuing roots as the CA files, as J-LIS writes them to a card.
import type { PkiDir } from '../sim/jlis.js';
import { JpkiApplet, type AppletPin } from './applet.js';

export interface HolderCardOptions {
  /** Authentication holder id (a…, or t… for the test hierarchy). */
  readonly holder: string;
  /** Signing holder id (s…); without one the card has no signing certificate. */
  readonly signingHolder?: string;
  readonly pin?: string;
  readonly password?: string;
  readonly token?: string;
  readonly extendedLength?: boolean;
  /** Tries left at start (to make a nearly blocked or blocked card). */
  readonly pinTriesLeft?: number;
  readonly passwordTriesLeft?: number;
}

export const DEFAULT_PIN = '1234';
export const DEFAULT_PASSWORD = 'ABC123';

export function holderApplet(pki: PkiDir, o: HolderCardOptions): JpkiApplet {
  const find = (purpose: 'authentication' | 'signing' | 'test', id: string) => {
    const h = pki.holders(purpose).find((x) => x.id === id);
    if (!h) throw new Error(`no ${purpose} holder ${id} in ${pki.dir}`);
    return h;
  };
  const auth = find(o.holder.startsWith('t') ? 'test' : 'authentication', o.holder);
  const pin = (value: string, maxTries: number, triesLeft?: number): AppletPin => ({ value, maxTries, triesLeft });
  const sign = o.signingHolder ? find('signing', o.signingHolder) : undefined;
  return new JpkiApplet({
    authentication: { certificate: auth.cert, ca: pki.rootCert(auth.root), key: pki.keys[auth.key], pin: pin(o.pin ?? DEFAULT_PIN, 3, o.pinTriesLeft) },
    signing: sign
      ? { certificate: sign.cert, ca: pki.rootCert(sign.root), key: pki.keys[sign.key], pin: pin(o.password ?? DEFAULT_PASSWORD, 5, o.passwordTriesLeft) }
      : undefined,
    token: o.token,
    extendedLength: o.extendedLength,
  });
}
