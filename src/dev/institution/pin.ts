// The PIN block format of the reference institution: AES-256-GCM under a key the terminal and the
// institution share (the relay never has it), base64(iv ‖ ciphertext ‖ tag). Real institutions use
// ISO 9564 PIN blocks under zone keys; to the relay both are the same: opaque bytes to pass on.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const keyOf = (pinKey: string): Buffer => createHash('sha256').update(`pin-key:${pinKey}`).digest();

export function encryptPin(pin: string, pinKey: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keyOf(pinKey), iv);
  const ct = Buffer.concat([c.update(pin, 'utf8'), c.final()]);
  return Buffer.concat([iv, ct, c.getAuthTag()]).toString('base64');
}

/** The PIN, or null if the block is malformed or was not made with this key. */
export function decryptPin(block: string, pinKey: string): string | null {
  try {
    const b = Buffer.from(block, 'base64');
    if (b.length < 12 + 1 + 16) return null;
    const d = createDecipheriv('aes-256-gcm', keyOf(pinKey), b.subarray(0, 12));
    d.setAuthTag(b.subarray(b.length - 16));
    return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]).toString('utf8');
  } catch {
    return null;
  }
}
