// A card that is not a My Number Card (a transit or bank card, say): it knows no JPKI AP, so
// every SELECT answers 6A 82 and every other command 6D 00. For the "wrong card" path.
export const OTHER_ATR = Uint8Array.from([
  0x3b, 0x8f, 0x80, 0x01, 0x80, 0x4f, 0x0c, 0xa0, 0x00, 0x00, 0x03, 0x06, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x68,
]);

export class OtherCardApplet {
  reset(): void {}
  process(apdu: Uint8Array): Uint8Array {
    return apdu[1] === 0xa4 ? Uint8Array.from([0x6a, 0x82]) : Uint8Array.from([0x6d, 0x00]);
  }
}
