// The package's public API: `import { verifyAuthentication, … } from 'jpki-verify'`. Named
// exports only (no `export *`), so what is public is decided here.
export { parseCertificate, CertificateError, type Certificate } from './core/certificate.js';
export { CertificatePool } from './core/cert-pool.js';
export {
  verifyAuthentication,
  verifyDocumentSignature,
  type AuthRequest,
  type SignatureRequest,
  type VerifyContext,
  type VerificationResult,
  type SignatureVerificationResult,
  type CertificateFacts,
} from './core/verify.js';
export type { Verdict, VerdictCode, RevocationPolicy } from './core/verdict.js';
export type { BasicFourInfo, CertificateKind, Purpose } from './core/jpki.js';
export { loadTrustStore, TrustStoreError } from './app/trust-store.js';
export { loadConfig, validateConfig, ConfigError, DEFAULTS, type Config, type TenantConfig } from './config/config.js';
export { startService, type Service, type ServiceOptions } from './app/service.js';
export { startQueueWorker, type QueueWorkerProcess } from './app/worker.js';
// The revocation index: CRLs loaded and verified, then looked up by serial.
export { loadCrl, type LoadedCrl } from './core/crl-load.js';
export { assembleSet } from './core/revocation-assembly.js';
export { IndexRevocationChecker } from './core/revocation-lookup.js';
// The JSON shape of results (as the API and the CLI print them) and the typed HTTP client.
export { resultView, verdictView, type ResultView, type VerdictView, type CertificateView } from './verifier/wire.js';
export {
  createJpkiClient,
  JpkiApiError,
  JpkiConnectionError,
  type JpkiClient,
  type JpkiClientOptions,
  type ApiSchemas,
  type paths,
  type components,
} from './client/client.js';
// The terminal side: the My Number Card's JPKI AP over PC/SC (see docs/card.md).
export {
  openJpkiCard,
  chooseReader,
  readCard,
  authenticate,
  signDocument,
  type OpenCardOptions,
  type CardSummary,
  type CardSignature,
} from './card/terminal.js';
export { JpkiCard, JPKI_AID, JPKI_EF, TOKENS, type CertificateFile, type TokenForm, type JpkiCardOptions } from './card/jpki-ap.js';
export { openPcsc } from './card/pcsc.js';
export { CardError, CARD_ERROR_CODES, type CardErrorCode } from './card/errors.js';
export { PIN_RULES, pinBytes, type CardPurpose } from './card/pin.js';
export { encodeCommand, parseResponse, type Command, type Response } from './card/apdu.js';
export type { CardReaders, CardTransport, ReaderInfo, ReaderEvent } from './card/transport.js';
