// The thread a virtual card runs in (started by host.ts). The card must not share an event loop
// with the terminal that talks to it: PC/SC calls such as SCardDisconnect block their thread
// until the card has answered the reader.
import { parentPort, workerData } from 'node:worker_threads';
import { openPki } from '../sim/jlis.js';
import { JPKI_ATR, type JpkiApplet } from './applet.js';
import { holderApplet } from './holder-card.js';
import { OTHER_ATR, OtherCardApplet } from './other-card.js';
import { insertVirtualCard, type VirtualCard } from './vpcd.js';
import type { HostRequest, ThreadSetup } from './host.js';

const setup = workerData as ThreadSetup;
const jpki: JpkiApplet | undefined = setup.kind === 'jpki' ? holderApplet(openPki(setup.pkiDir), setup.card) : undefined;
const applet = jpki ?? new OtherCardApplet();
const atr = setup.kind === 'jpki' ? JPKI_ATR : OTHER_ATR;
let card: VirtualCard | undefined;
/** Pull the card out when the n-th command with this INS arrives (card removed mid-operation). */
let removeAt: { ins: number; nth: number } | undefined;

const port = parentPort!;
port.on('message', async (m: HostRequest) => {
  try {
    let value: unknown;
    if (m.op === 'insert') {
      if (!card?.inserted) {
        card = await insertVirtualCard({
          applet,
          atr,
          slot: setup.slot,
          beforeCommand: (apdu) => {
            if (removeAt && apdu[1] === removeAt.ins && --removeAt.nth === 0) {
              removeAt = undefined;
              return 'remove';
            }
            return undefined;
          },
        });
      }
    } else if (m.op === 'remove') {
      await card?.remove();
    } else if (m.op === 'remove-on') {
      removeAt = { ins: m.ins, nth: m.nth };
    } else if (m.op === 'state') {
      value = {
        inserted: card?.inserted ?? false,
        received: jpki?.received ?? [],
        triesLeft: jpki ? { authentication: jpki.triesLeft('authentication'), signing: jpki.triesLeft('signing') } : null,
      };
    }
    port.postMessage({ id: m.id, ok: true, value });
  } catch (err) {
    port.postMessage({ id: m.id, ok: false, error: (err as Error).message });
  }
});
