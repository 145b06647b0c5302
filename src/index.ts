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
export type { Verdict, VerdictCode, RevocationPolicy, RevocationReport, RevocationSource, CrlSource, OcspSource } from './core/verdict.js';
// OCSP (RFC 6960): a verification under an ocsp plan returns `pending`; ask the responder with
// OcspClient (or your own transport and checkOcspResponse), then settleOcsp.
export { settleOcsp, type RevocationPlan, type RevocationMode, type OcspPending, type OcspTarget, type OcspOutcome } from './core/revocation-plan.js';
export { certIdFor, ocspUrls, type CertId } from './core/ocsp-certid.js';
export { encodeOcspRequest } from './core/ocsp-request.js';
export { parseOcspResponse } from './core/ocsp-response.js';
export { checkOcspResponse, type OcspAnswer, type OcspCheckOptions } from './core/ocsp-check.js';
export { OcspError, OCSP_FAILURES, type OcspFailure } from './core/ocsp-failure.js';
export { OcspClient, type OcspClientOptions } from './ocsp/client.js';
export { HttpTransport } from './ocsp/transport.js';
export type { BasicFourInfo, CertificateKind, Purpose } from './core/jpki.js';
export { loadTrustStore, TrustStoreError } from './app/trust-store.js';
export { loadConfig, validateConfig, ConfigError, DEFAULTS, type Config, type TenantConfig } from './config/config.js';
export { startService, type Service, type ServiceOptions } from './app/service.js';
export { startQueueWorker, type QueueWorkerProcess } from './app/worker.js';
