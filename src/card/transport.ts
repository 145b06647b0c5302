// The small interface the JPKI protocol needs from a reader stack: list readers, connect to a
// card exclusively, exchange APDUs, hear about cards coming and going. src/card/pcsc.ts
// implements it over PC/SC; nothing else in src/card knows which binding is underneath.

export interface ReaderInfo {
  readonly name: string;
  readonly cardPresent: boolean;
  /** The card's Answer To Reset, when a card is present. */
  readonly atr?: Uint8Array;
}

export type ReaderEvent =
  | { readonly type: 'reader-attached' | 'reader-detached'; readonly reader: string }
  | { readonly type: 'card-inserted'; readonly reader: string; readonly atr?: Uint8Array }
  | { readonly type: 'card-removed'; readonly reader: string };

/** One card, held exclusively until close(): no other program can send it APDUs meanwhile. */
export interface CardTransport {
  readonly reader: string;
  readonly atr: Uint8Array;
  /** Sends a command APDU, resolves with the response APDU (data and status word). Rejects with
   *  a CardError (card_removed, transport) when the exchange fails. */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface CardReaders {
  list(): Promise<ReaderInfo[]>;
  /** Connects to the card in `reader` exclusively (no_card, reader_busy, no_reader). */
  connect(reader: string): Promise<CardTransport>;
  /** Resolves once `reader` holds a card (true) or after `timeoutMs` (false). */
  waitForCard(reader: string, timeoutMs: number): Promise<boolean>;
  /** Calls `listener` for every reader and card change until the returned function is called. */
  watch(listener: (event: ReaderEvent) => void): () => void;
  close(): void;
}
