// Generated from the API's OpenAPI document (docs/openapi.json, served at /openapi.json) by
// openapi-typescript: do not edit. `npm run contract` regenerates it; test/http/contract.test.ts
// checks it is current.
export interface paths {
  '/v1/challenges': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Issue a single-use challenge for the card to sign
     * @description 32 random bytes, usable once, only by this tenant, until `expiresAt` (challenge.ttlSec). At most challenge.maxOutstandingPerTenant issued, unused and unexpired per tenant.
     */
    post: operations['createChallenge'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/verify/auth': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * 電子利用者証明: an authentication certificate and its signature over a challenge
     * @description The verdict says which check decided, on which certificate (depth), against which CRL. A challenge that is unknown, expired or already used is a verdict too (challenge_unknown, challenge_expired, challenge_replayed).
     */
    post: operations['verifyAuth'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/verify/signature': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * 電子署名: a signing certificate and its signature over a document or digest
     * @description With the 基本4情報 (basicInfo) of a valid certificate for tenants entitled to it.
     */
    post: operations['verifySignature'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/verify/batch': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Several verifications in one request (limits.batchItems)
     * @description One result or error per item, in order. An item that cannot be verified (malformed input) is an `error` item; overload and worker failure fail the whole batch (503): retry it.
     */
    post: operations['verifyBatch'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Async bulk verification (jobs.maxItems items); answers with the job at once
     * @description Items are decoded and their challenges used now; the verifications run on the job queue. A tenant's waiting work is bounded (jobs.maxPendingItemsPerTenant: 429 too_many_jobs).
     */
    post: operations['createJob'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/jobs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Progress and one page of results of a bulk job of this tenant
     * @description Results in submission order, `null` where not yet done. Another tenant's job is a 404.
     */
    get: operations['getJob'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/links': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant's links, a page at a time */
    get: operations['listLinks'];
    put?: never;
    /**
     * 紐付管理: link a verified authentication to a customer and cards
     * @description Plus, with `signing`, a signing certificate registered for change confirmation. Tenants with linkedCards only.
     */
    post: operations['createLink'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/links/identify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Verify an authentication and find its link
     * @description next: linked | choose_card (several cards) | not_linked | rejected (the verdict is not valid).
     */
    post: operations['identifyLink'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/links/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One link by conversion ID */
    get: operations['getLink'];
    put?: never;
    post?: never;
    /** Unlink a customer */
    delete: operations['deleteLink'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/watches': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** 変更確認: register a signing certificate (with a signature it made) for change confirmation */
    post: operations['createWatch'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/watches/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One watch */
    get: operations['getWatch'];
    put?: never;
    post?: never;
    /** Stop watching a certificate */
    delete: operations['deleteWatch'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/changes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Status changes of watched certificates, oldest first, from a cursor */
    get: operations['listChanges'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant's audit trail, oldest first, from a cursor */
    get: operations['listAudit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/admin/link-data': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Operator: import J-LIS link data (renewals, signing ↔ authentication pairs)
     * @description text/csv with type,from,to lines, or JSON {records: [{type, from, to}]}.
     */
    post: operations['importLinkData'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/payments/authorize': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Credit / debit / ATM authorisation started with the My Number Card
     * @description JPKI authentication first (every request, repeats included), then the linked card, then the institution. At most once per idempotencyKey: a retry of a key gets the first decision (repeat: true); the same key for another payment or holder is idempotency_conflict.
     */
    post: operations['authorizePayment'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operator/crl': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Operator tenants only: the CRL sources this node holds, with their dates
     * @description Empty on a queue-mode API node (the workers hold the CRLs; each worker’s ops port /readyz says whether they are fresh).
     */
    get: operations['operatorCrl'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operator/trust': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Operator tenants only: the J-LIS root generations this node loaded per hierarchy, and what looks missing
     * @description Root certificates are public. A warning names a hierarchy without roots or a generation loaded for one hierarchy only (J-LIS publishes every generation of both: https://www.jpki.go.jp/ca/index.html). The same report is logged at start.
     */
    get: operations['operatorTrust'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness: the process answers */
    get: operations['health'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readyz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Readiness: trust store loaded, every CRL fresh, the stores reachable
     * @description Unauthenticated, so it says status and mode only; the reasons of a 503 name no file or URL (GET /v1/operator/crl has the sources).
     */
    get: operations['ready'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus metrics (text exposition format) */
    get: operations['metrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This document */
    get: operations['openapi'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** @description every error answer of the API */
    Error: {
      /**
       * @description what went wrong; the full table is in the README
       * @enum {string}
       */
      code:
        | 'ok'
        | 'malformed_certificate'
        | 'malformed_signature'
        | 'unsupported_algorithm'
        | 'algorithm_mismatch'
        | 'weak_key'
        | 'unknown_issuer'
        | 'cert_signature_invalid'
        | 'chain_too_long'
        | 'budget_exceeded'
        | 'expired'
        | 'not_yet_valid'
        | 'not_ca'
        | 'path_length_exceeded'
        | 'key_usage_not_allowed'
        | 'eku_not_allowed'
        | 'name_constraint_violation'
        | 'policy_not_acceptable'
        | 'unknown_critical_extension'
        | 'profile_violation'
        | 'test_hierarchy'
        | 'wrong_certificate_type'
        | 'jpki_profile_violation'
        | 'revoked'
        | 'crl_stale'
        | 'revocation_unavailable'
        | 'ocsp_unavailable'
        | 'challenge_unknown'
        | 'challenge_expired'
        | 'challenge_replayed'
        | 'signature_invalid'
        | 'digest_mismatch'
        | 'bad_request'
        | 'malformed_base64'
        | 'unauthorized'
        | 'forbidden'
        | 'not_found'
        | 'request_timeout'
        | 'body_too_large'
        | 'unsupported_media_type'
        | 'uri_too_long'
        | 'headers_too_large'
        | 'too_many_items'
        | 'already_linked'
        | 'not_verified'
        | 'bad_link_data'
        | 'rate_limited'
        | 'too_many_challenges'
        | 'too_many_jobs'
        | 'overloaded'
        | 'worker_failed'
        | 'queue_unavailable'
        | 'queue_timeout'
        | 'job_failed'
        | 'store_unavailable'
        | 'shutting_down'
        | 'not_ready'
        | 'internal';
      /** @description for people: names the field or the limit; never personal data */
      message: string;
    };
    ItemError: {
      error: components['schemas']['Error'];
    };
    /** @description the CRL that decided the revocation status */
    CrlSource: {
      /** @enum {string} */
      kind: 'crl';
      /**
       * @description readable issuer name of the CRL
       * @example OU=Japan Agency for Local Authority Information Systems, …
       */
      issuer: string;
      /**
       * @description CRL number, hex; absent when the CRL has none
       * @example 2a
       */
      crlNumber?: string;
      /**
       * Format: date-time
       * @description thisUpdate of the CRL
       */
      thisUpdate: string;
      /**
       * Format: date-time
       * @description nextUpdate of the CRL; absent when it gives none
       */
      nextUpdate?: string;
    };
    /** @description the OCSP response that decided the revocation status */
    OcspSource: {
      /** @enum {string} */
      kind: 'ocsp';
      /**
       * @description readable name of the signer: the issuing CA, or the responder it delegated to
       * @example CN=OCSP Responder auth-gen3, OU=JPKI for user authentication, O=JPKI, C=JP
       */
      responder: string;
      /**
       * @description the responder asked
       * @example http://ocspauthnorm.jpki.go.jp
       */
      url: string;
      /**
       * Format: date-time
       * @description producedAt of the response
       */
      producedAt: string;
      /**
       * Format: date-time
       * @description thisUpdate of the certificate’s status
       */
      thisUpdate: string;
      /**
       * Format: date-time
       * @description nextUpdate of the status; absent when the responder gives none
       */
      nextUpdate?: string;
    };
    /** @description the revocation data that decided: a CRL or an OCSP response (`kind`) */
    RevocationSource: components['schemas']['CrlSource'] | components['schemas']['OcspSource'];
    Revocation: {
      /**
       * @description not_checked: no CRL data was consulted (CLI without --crl); stale/unknown: see the verdict code
       * @enum {string}
       */
      status: 'good' | 'revoked' | 'stale' | 'unknown' | 'not_checked';
      /**
       * @description CRL reason code of a revoked certificate
       * @enum {string}
       */
      reason?:
        | 'unspecified'
        | 'keyCompromise'
        | 'cACompromise'
        | 'affiliationChanged'
        | 'superseded'
        | 'cessationOfOperation'
        | 'certificateHold'
        | 'removeFromCRL'
        | 'privilegeWithdrawn'
        | 'aACompromise';
      /**
       * Format: date-time
       * @description revocation time of a revoked certificate
       */
      revokedAt?: string;
      source?: components['schemas']['RevocationSource'];
      /**
       * @description why OCSP, when it had to decide, gave no status (the verdict is ocsp_unavailable, or passed under soft-fail): malformed_request: the responder says the request was malformed; internal_error: the responder reports an internal error; try_later: the responder is busy or cannot answer now; sig_required: the responder wants signed requests; unauthorized: the responder will not answer for this certificate or this client; malformed_response: the response is not a well-formed OCSPResponse (truncated, bad DER, wrong structure); unsupported_response: the response is not of type id-pkix-ocsp-basic; bad_signature: the response's signature does not verify (forged or corrupted); weak_signature: the response is signed with an algorithm this client refuses (SHA-1, unknown); unauthorized_responder: the signer is neither the issuing CA nor a valid responder it delegated to (id-kp-OCSPSigning); not_yet_valid: thisUpdate or producedAt lies in the future beyond the allowed clock skew; stale: nextUpdate has passed (or, without nextUpdate, thisUpdate is older than the maximum age); nonce_mismatch: the response does not carry the nonce of the request; missing_status: the response does not answer for the certificate asked about; timeout: no complete answer within the timeout; unreachable: the responder could not be reached (connection refused, reset, DNS); http_error: the responder answered with an HTTP error or a content type other than application/ocsp-response; too_large: the response exceeds the size limit; circuit_open: the responder's circuit breaker is open after repeated failures; no_responder: the certificate names no OCSP responder and none is configured
       * @enum {string}
       */
      failure?:
        | 'malformed_request'
        | 'internal_error'
        | 'try_later'
        | 'sig_required'
        | 'unauthorized'
        | 'malformed_response'
        | 'unsupported_response'
        | 'bad_signature'
        | 'weak_signature'
        | 'unauthorized_responder'
        | 'not_yet_valid'
        | 'stale'
        | 'nonce_mismatch'
        | 'missing_status'
        | 'timeout'
        | 'unreachable'
        | 'http_error'
        | 'too_large'
        | 'circuit_open'
        | 'no_responder';
    };
    /**
     * @example {
     *       "status": "valid",
     *       "code": "ok",
     *       "detail": "certificate path, revocation status and signature all check out",
     *       "revocation": {
     *         "status": "good",
     *         "source": {
     *           "kind": "crl",
     *           "issuer": "JPKI authentication root 2019",
     *           "crlNumber": "2a",
     *           "thisUpdate": "2026-12-02T00:00:00.000Z"
     *         }
     *       }
     *     }
     */
    Verdict: {
      /** @enum {string} */
      status: 'valid' | 'invalid' | 'indeterminate';
      /**
       * @description which check decided (README: verdict codes)
       * @enum {string}
       */
      code:
        | 'ok'
        | 'malformed_certificate'
        | 'malformed_signature'
        | 'unsupported_algorithm'
        | 'algorithm_mismatch'
        | 'weak_key'
        | 'unknown_issuer'
        | 'cert_signature_invalid'
        | 'chain_too_long'
        | 'budget_exceeded'
        | 'expired'
        | 'not_yet_valid'
        | 'not_ca'
        | 'path_length_exceeded'
        | 'key_usage_not_allowed'
        | 'eku_not_allowed'
        | 'name_constraint_violation'
        | 'policy_not_acceptable'
        | 'unknown_critical_extension'
        | 'profile_violation'
        | 'test_hierarchy'
        | 'wrong_certificate_type'
        | 'jpki_profile_violation'
        | 'revoked'
        | 'crl_stale'
        | 'revocation_unavailable'
        | 'ocsp_unavailable'
        | 'challenge_unknown'
        | 'challenge_expired'
        | 'challenge_replayed'
        | 'signature_invalid'
        | 'digest_mismatch';
      /** @description certificate concerned: 0 the end entity, 1 its issuer; absent when the verdict concerns no certificate */
      depth?: number;
      /** @description what was compared; never personal data */
      detail: string;
      revocation: components['schemas']['Revocation'];
    };
    Certificate: {
      /** @enum {string} */
      kind: 'authentication' | 'signing' | 'test' | 'unknown';
      /** @description unsigned hex; delegate tenants only (personal data) */
      serial?: string;
      /** @description SHA-256 of the DER; delegate tenants only */
      fingerprint?: string;
      /** @description proxy tenants: a per-tenant name for the certificate in place of serial and fingerprint */
      handle?: string;
      /** @description this tenant's conversion ID of the holder (proxy tenants) */
      conversionId?: string;
      /** @description ISO 8601: to the second for delegate tenants, the date only for proxy tenants */
      notBefore: string;
      /** @description as notBefore */
      notAfter: string;
      /** @description year the issuing J-LIS root generation began; absent when the issuer was not identified */
      issuerGeneration?: number;
    };
    /** @description 基本4情報 of a valid signing certificate, for tenants entitled to it */
    BasicInfo: {
      name: string;
      /** @description per character: a substitute character (代替文字) */
      nameSubstitutes: boolean[] | null;
      /** @enum {string} */
      gender: 'male' | 'female' | 'not_applicable';
      birthDate: {
        eraCode: number;
        /** @example 昭和 */
        era: string;
        /**
         * Format: date
         * @description Gregorian date
         */
        iso: string;
      };
      address: string;
      addressSubstitutes: boolean[] | null;
      /** @description some character of the name or the address is a substitute: the text is not the register’s */
      hasSubstitutes: boolean;
    };
    Result: {
      verdict: components['schemas']['Verdict'];
      certificate?: components['schemas']['Certificate'];
      basicInfo?: components['schemas']['BasicInfo'];
    };
    Job: {
      /** @example job_Zk3pX0aQ7vLm2TnB8sYc1w */
      jobId: string;
      /** @enum {string} */
      state: 'running' | 'completed';
      total: number;
      done: number;
      /** @description items answered with an error object instead of a verdict */
      errors: number;
      /**
       * Format: date-time
       * @description when the job was accepted
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description when the last item was done; absent while running
       */
      completedAt?: string;
    };
    Card: {
      /**
       * @description cardRef of payment requests
       * @example card_7QpW2zXk
       */
      id: string;
      institution: string;
      /** @enum {string} */
      kind: 'credit' | 'debit' | 'bank';
      label?: string;
      /**
       * @description the account reference with all but its last four characters hidden
       * @example ************1111
       */
      masked: string;
    };
    Link: {
      /** @description this tenant's ID of the holder (ID conversion: never the serial) */
      conversionId: string;
      /**
       * @description the tenant's own customer id
       * @example customer-0042
       */
      customerRef: string;
      cards: components['schemas']['Card'][];
      /**
       * Format: date-time
       * @description when the link was made
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description when it last changed
       */
      updatedAt: string;
      /** @description delegate tenants only */
      serial?: string;
    };
    Watch: {
      watchId: string;
      conversionId: string;
      /**
       * @description the tenant's own customer id
       * @example customer-0042
       */
      customerRef?: string;
      /** @enum {string} */
      status: 'good' | 'revoked' | 'unknown';
      /** @description CRL reason of a revoked certificate */
      reason?: string;
      /**
       * Format: date-time
       * @description when the watch was registered
       */
      registeredAt: string;
      /**
       * Format: date-time
       * @description when the certificate was last checked against new CRL data
       */
      checkedAt: string;
      /** @description delegate tenants only */
      serial?: string;
      /** @description delegate tenants only */
      fingerprint?: string;
      /** @description proxy tenants: a per-tenant name for the certificate */
      handle?: string;
    };
    Change: {
      cursor: string;
      watchId: string;
      conversionId: string;
      /**
       * @description the tenant's own customer id
       * @example customer-0042
       */
      customerRef?: string;
      /** @enum {string} */
      from: 'good' | 'revoked' | 'unknown';
      /** @enum {string} */
      to: 'good' | 'revoked' | 'unknown';
      reason?: string;
      /**
       * @description affiliationChanged: the 基本4情報 changed, ask the customer to update their details
       * @enum {string}
       */
      action: 'ask_customer_to_update_details' | 'stop_using_certificate' | 'none';
      /**
       * Format: date-time
       * @description revocation time
       */
      revokedAt?: string;
      crl?: {
        issuer: string;
        crlNumber?: string;
        /**
         * Format: date-time
         * @description thisUpdate of the CRL that showed the change
         */
        thisUpdate: string;
      };
      /**
       * Format: date-time
       * @description when the change was seen
       */
      at: string;
    };
    PaymentDecision: {
      /**
       * @description choose_card: several cards fit; ask the holder and repeat with cardRef (same idempotencyKey). error: see code; retry where it says
       * @enum {string}
       */
      decision: 'approved' | 'declined' | 'choose_card' | 'error';
      /**
       * @description the institution's code, or the relay's: jpki_<verdict code> (the holder's card failed), not_linked, no_eligible_card, choose_card, unknown_card, pin_required, unknown_institution, idempotency_conflict, idempotency_in_progress, institution_timeout, institution_unavailable, institution_error, institution_refused_<HTTP status> (a signed 400/404/422: a decline)
       * @example approved
       */
      code: string;
      message?: string;
      /** @enum {string} */
      method: 'credit' | 'debit' | 'atm';
      amount: number;
      /** @example JPY */
      currency: string;
      /** @description this tenant's ID of the holder */
      conversionId?: string;
      card?: components['schemas']['Card'];
      /** @description choose_card: the cards that fit this method */
      cards?: components['schemas']['Card'][];
      institution?: string;
      /** @description the institution's authorisation id of an approval */
      authorizationId?: string;
      /** @description the JPKI verdict of the holder */
      verdict?: {
        status: string;
        code: string;
      };
      idempotencyKey: string;
      /** @description true: this key was decided before; this is that decision, unchanged */
      repeat: boolean;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  createChallenge: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description a challenge */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @description from POST /v1/challenges
             * @example q3Vb7mX0TzK9aLp2sWn4Eg
             */
            challengeId: string;
            /**
             * @description the 32 bytes to sign, base64
             * @example 3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
             */
            challenge: string;
            /**
             * Format: date-time
             * @description when the challenge stops being usable
             */
            expiresAt: string;
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay; `too_many_challenges`: the tenant holds challenge.maxOutstandingPerTenant issued challenges not yet used or expired; use or let some expire (Retry-After) */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited' | 'too_many_challenges';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  verifyAuth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /**
           * @description end-entity certificate: base64 DER, or PEM
           * @example MIIFqDCCBJCgAwIBAgIE…
           */
          certificate: string;
          /**
           * @description from POST /v1/challenges
           * @example q3Vb7mX0TzK9aLp2sWn4Eg
           */
          challengeId: string;
          /** @description signature by the card over the challenge, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards) */
          signature: string;
          /**
           * @description hash the client used; default by the card key: sha256 for RSA cards, sha384 for ECDSA P-384 cards (the only hash they accept)
           * @enum {string}
           */
          digestAlgorithm?: 'sha256' | 'sha384' | 'sha512';
        };
      };
    };
    responses: {
      /** @description the verdict */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Result'];
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it); `malformed_base64`: a base64 field does not decode; `malformed_certificate`: a certificate is not valid DER X.509; `malformed_signature`: the signature value is not well formed for its algorithm; `digest_mismatch`: the digest given does not fit the digest algorithm */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request' | 'malformed_base64' | 'malformed_certificate' | 'malformed_signature' | 'digest_mismatch';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `body_too_large`: the request body exceeds the configured limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example body_too_large
             * @enum {string}
             */
            code: 'body_too_large';
            /** @example the request body exceeds the configured limit */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `unsupported_media_type`: the body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unsupported_media_type
             * @enum {string}
             */
            code: 'unsupported_media_type';
            /** @example the body is not application/json */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `overloaded`: too many verifications pending; retry after the Retry-After delay; `worker_failed`: the verification worker running this request failed; safe to retry; `queue_unavailable`: queue mode: the verification queue (Redis) is unreachable; retry after the delay; `queue_timeout`: queue mode: no worker answered within queue.timeoutMs; safe to retry with a new challenge; `job_failed`: queue mode: the verification job failed on every attempt and went to the dead-letter queue; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'overloaded' | 'worker_failed' | 'queue_unavailable' | 'queue_timeout' | 'job_failed' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  verifySignature: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /**
           * @description end-entity certificate: base64 DER, or PEM
           * @example MIIFqDCCBJCgAwIBAgIE…
           */
          certificate: string;
          /** @description the signed document, base64 (give data or digest) */
          data?: string;
          /** @description the document digest the client computed, base64 (give data or digest) */
          digest?: string;
          /**
           * @description hash the client used; default by the card key: sha256 for RSA cards, sha384 for ECDSA P-384 cards (the only hash they accept)
           * @enum {string}
           */
          digestAlgorithm?: 'sha256' | 'sha384' | 'sha512';
          /** @description signature by the card, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards) */
          signature: string;
          /**
           * Format: date-time
           * @description verify as of this time (e.g. the signing time); default now
           */
          at?: string;
        };
      };
    };
    responses: {
      /** @description the verdict (+ 基本4情報 when entitled) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Result'];
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it); `malformed_base64`: a base64 field does not decode; `malformed_certificate`: a certificate is not valid DER X.509; `malformed_signature`: the signature value is not well formed for its algorithm; `digest_mismatch`: the digest given does not fit the digest algorithm */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request' | 'malformed_base64' | 'malformed_certificate' | 'malformed_signature' | 'digest_mismatch';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `body_too_large`: the request body exceeds the configured limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example body_too_large
             * @enum {string}
             */
            code: 'body_too_large';
            /** @example the request body exceeds the configured limit */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `unsupported_media_type`: the body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unsupported_media_type
             * @enum {string}
             */
            code: 'unsupported_media_type';
            /** @example the body is not application/json */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `overloaded`: too many verifications pending; retry after the Retry-After delay; `worker_failed`: the verification worker running this request failed; safe to retry; `queue_unavailable`: queue mode: the verification queue (Redis) is unreachable; retry after the delay; `queue_timeout`: queue mode: no worker answered within queue.timeoutMs; safe to retry with a new challenge; `job_failed`: queue mode: the verification job failed on every attempt and went to the dead-letter queue; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'overloaded' | 'worker_failed' | 'queue_unavailable' | 'queue_timeout' | 'job_failed' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  verifyBatch: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          items: (
            | {
                /** @enum {string} */
                type: 'auth';
                /**
                 * @description end-entity certificate: base64 DER, or PEM
                 * @example MIIFqDCCBJCgAwIBAgIE…
                 */
                certificate: string;
                /**
                 * @description from POST /v1/challenges
                 * @example q3Vb7mX0TzK9aLp2sWn4Eg
                 */
                challengeId: string;
                /** @description signature by the card over the challenge, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards) */
                signature: string;
                /**
                 * @description hash the client used; default by the card key: sha256 for RSA cards, sha384 for ECDSA P-384 cards (the only hash they accept)
                 * @enum {string}
                 */
                digestAlgorithm?: 'sha256' | 'sha384' | 'sha512';
              }
            | {
                /** @enum {string} */
                type: 'signature';
                /**
                 * @description end-entity certificate: base64 DER, or PEM
                 * @example MIIFqDCCBJCgAwIBAgIE…
                 */
                certificate: string;
                /** @description the signed document, base64 (give data or digest) */
                data?: string;
                /** @description the document digest the client computed, base64 (give data or digest) */
                digest?: string;
                /**
                 * @description hash the client used; default by the card key: sha256 for RSA cards, sha384 for ECDSA P-384 cards (the only hash they accept)
                 * @enum {string}
                 */
                digestAlgorithm?: 'sha256' | 'sha384' | 'sha512';
                /** @description signature by the card, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards) */
                signature: string;
                /**
                 * Format: date-time
                 * @description verify as of this time (e.g. the signing time); default now
                 */
                at?: string;
              }
          )[];
        };
      };
    };
    responses: {
      /** @description one result or error per item, in order */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            results: (components['schemas']['Result'] | components['schemas']['ItemError'])[];
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it); `malformed_base64`: a base64 field does not decode; `malformed_certificate`: a certificate is not valid DER X.509; `malformed_signature`: the signature value is not well formed for its algorithm; `digest_mismatch`: the digest given does not fit the digest algorithm */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request' | 'malformed_base64' | 'malformed_certificate' | 'malformed_signature' | 'digest_mismatch';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `body_too_large`: the request body exceeds the configured limit; `too_many_items`: a batch holds more items than allowed */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example body_too_large
             * @enum {string}
             */
            code: 'body_too_large' | 'too_many_items';
            /** @example the request body exceeds the configured limit */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `unsupported_media_type`: the body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unsupported_media_type
             * @enum {string}
             */
            code: 'unsupported_media_type';
            /** @example the body is not application/json */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `overloaded`: too many verifications pending; retry after the Retry-After delay; `worker_failed`: the verification worker running this request failed; safe to retry; `queue_unavailable`: queue mode: the verification queue (Redis) is unreachable; retry after the delay; `queue_timeout`: queue mode: no worker answered within queue.timeoutMs; safe to retry with a new challenge; `job_failed`: queue mode: the verification job failed on every attempt and went to the dead-letter queue; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'overloaded' | 'worker_failed' | 'queue_unavailable' | 'queue_timeout' | 'job_failed' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  createJob: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          items: (
            | {
                /** @enum {string} */
                type: 'auth';
                /**
                 * @description end-entity certificate: base64 DER, or PEM
                 * @example MIIFqDCCBJCgAwIBAgIE…
                 */
                certificate: string;
                /**
                 * @description from POST /v1/challenges
                 * @example q3Vb7mX0TzK9aLp2sWn4Eg
                 */
                challengeId: string;
                /** @description signature by the card over the challenge, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards) */
                signature: string;
                /**
                 * @description hash the client used; default by the card key: sha256 for RSA cards, sha384 for ECDSA P-384 cards (the only hash they accept)
                 * @enum {string}
                 */
                digestAlgorithm?: 'sha256' | 'sha384' | 'sha512';
              }
            | {
                /** @enum {string} */
                type: 'signature';
                /**
                 * @description end-entity certificate: base64 DER, or PEM
                 * @example MIIFqDCCBJCgAwIBAgIE…
                 */
                certificate: string;
                /** @description the signed document, base64 (give data or digest) */
                data?: string;
                /** @description the document digest the client computed, base64 (give data or digest) */
                digest?: string;
                /**
                 * @description hash the client used; default by the card key: sha256 for RSA cards, sha384 for ECDSA P-384 cards (the only hash they accept)
                 * @enum {string}
                 */
                digestAlgorithm?: 'sha256' | 'sha384' | 'sha512';
                /** @description signature by the card, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards) */
                signature: string;
                /**
                 * Format: date-time
                 * @description verify as of this time (e.g. the signing time); default now
                 */
                at?: string;
              }
          )[];
          /** @description POSTed (HMAC-signed, see README) when the job completes. https, or http only to a host in webhooks.allowHosts; a literal loopback, private, link-local, CGNAT or metadata address is refused (400 bad_request), and the resolved address is checked again at every delivery (unless webhooks.allowPrivate) */
          webhook?: string;
        };
      };
    };
    responses: {
      /** @description accepted */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Job'];
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it); `malformed_base64`: a base64 field does not decode */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request' | 'malformed_base64';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `body_too_large`: the request body exceeds the configured limit; `too_many_items`: a batch holds more items than allowed */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example body_too_large
             * @enum {string}
             */
            code: 'body_too_large' | 'too_many_items';
            /** @example the request body exceeds the configured limit */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `unsupported_media_type`: the body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unsupported_media_type
             * @enum {string}
             */
            code: 'unsupported_media_type';
            /** @example the body is not application/json */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay; `too_many_jobs`: the tenant has jobs.maxPendingItemsPerTenant items waiting in running jobs; retry when they are done (Retry-After) */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited' | 'too_many_jobs';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay; `queue_unavailable`: queue mode: the verification queue (Redis) is unreachable; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'store_unavailable' | 'queue_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  getJob: {
    parameters: {
      query?: {
        /**
         * @description first result of the page (default 0)
         * @example 0
         */
        offset?: string;
        /**
         * @description page size, 1 to 1000 (default 100)
         * @example 100
         */
        limit?: string;
      };
      header?: never;
      path: {
        /**
         * @description the id the API gave
         * @example cv_2Jq9XbT4mQ1sVn8aLk0PzR
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the job with one page of results */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @example job_Zk3pX0aQ7vLm2TnB8sYc1w */
            jobId: string;
            /** @enum {string} */
            state: 'running' | 'completed';
            total: number;
            done: number;
            /** @description items answered with an error object instead of a verdict */
            errors: number;
            /**
             * Format: date-time
             * @description when the job was accepted
             */
            createdAt: string;
            /**
             * Format: date-time
             * @description when the last item was done; absent while running
             */
            completedAt?: string;
            offset: number;
            /** @description results[offset…]; null where not yet done */
            results: (components['schemas']['Result'] | components['schemas']['ItemError'] | null)[];
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `not_found`: no such route or job */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example not_found
             * @enum {string}
             */
            code: 'not_found';
            /** @example no such route or job */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  listLinks: {
    parameters: {
      query?: {
        /** @description the `next` of the previous page; absent: from the start */
        cursor?: string;
        /**
         * @description page size, 1 to 1000 (default 100)
         * @example 100
         */
        limit?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description a page of links */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            links: components['schemas']['Link'][];
            /** @description cursor of the next page; null on the last page */
            next: string | null;
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  createLink: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /**
           * @description end-entity certificate: base64 DER, or PEM
           * @example MIIFqDCCBJCgAwIBAgIE…
           */
          certificate: string;
          /**
           * @description from POST /v1/challenges
           * @example q3Vb7mX0TzK9aLp2sWn4Eg
           */
          challengeId: string;
          /** @description signature by the card over the challenge, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards) */
          signature: string;
          /**
           * @description hash the client used; default by the card key: sha256 for RSA cards, sha384 for ECDSA P-384 cards (the only hash they accept)
           * @enum {string}
           */
          digestAlgorithm?: 'sha256' | 'sha384' | 'sha512';
          /**
           * @description the tenant's own customer id
           * @example customer-0042
           */
          customerRef: string;
          cards?: {
            /**
             * @description configured institution id (bank, card company)
             * @example demo-bank
             */
            institution: string;
            /** @enum {string} */
            kind: 'credit' | 'debit' | 'bank';
            /** @description what the institution knows the card or account by; shown only masked */
            accountRef: string;
            label?: string;
          }[];
          signing?: {
            /**
             * @description end-entity certificate: base64 DER, or PEM
             * @example MIIFqDCCBJCgAwIBAgIE…
             */
            certificate: string;
            /** @description the signed document, base64 (give data or digest) */
            data?: string;
            /** @description the document digest the client computed, base64 (give data or digest) */
            digest?: string;
            /**
             * @description hash the client used; default by the card key: sha256 for RSA cards, sha384 for ECDSA P-384 cards (the only hash they accept)
             * @enum {string}
             */
            digestAlgorithm?: 'sha256' | 'sha384' | 'sha512';
            /** @description signature by the card, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards) */
            signature: string;
            /**
             * Format: date-time
             * @description verify as of this time (e.g. the signing time); default now
             */
            at?: string;
          };
        };
      };
    };
    responses: {
      /** @description the link (cards masked), and the watch when signing was given */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            verdict: components['schemas']['Verdict'];
            link: components['schemas']['Link'];
            watch?: components['schemas']['Watch'];
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it); `malformed_base64`: a base64 field does not decode; `malformed_certificate`: a certificate is not valid DER X.509; `malformed_signature`: the signature value is not well formed for its algorithm; `digest_mismatch`: the digest given does not fit the digest algorithm */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request' | 'malformed_base64' | 'malformed_certificate' | 'malformed_signature' | 'digest_mismatch';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `already_linked`: the certificate holder is linked to another customer of this tenant */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example already_linked
             * @enum {string}
             */
            code: 'already_linked';
            /** @example the certificate holder is linked to another customer of this tenant */
            message: string;
          };
        };
      };
      /** @description `body_too_large`: the request body exceeds the configured limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example body_too_large
             * @enum {string}
             */
            code: 'body_too_large';
            /** @example the request body exceeds the configured limit */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `unsupported_media_type`: the body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unsupported_media_type
             * @enum {string}
             */
            code: 'unsupported_media_type';
            /** @example the body is not application/json */
            message: string;
          };
        };
      };
      /** @description `not_verified`: enrolment or registration needs a valid verification; the verdict is in the message */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example not_verified
             * @enum {string}
             */
            code: 'not_verified';
            /** @example enrolment or registration needs a valid verification; the verdict is in the message */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `overloaded`: too many verifications pending; retry after the Retry-After delay; `worker_failed`: the verification worker running this request failed; safe to retry; `queue_unavailable`: queue mode: the verification queue (Redis) is unreachable; retry after the delay; `queue_timeout`: queue mode: no worker answered within queue.timeoutMs; safe to retry with a new challenge; `job_failed`: queue mode: the verification job failed on every attempt and went to the dead-letter queue; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'overloaded' | 'worker_failed' | 'queue_unavailable' | 'queue_timeout' | 'job_failed' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  identifyLink: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /**
           * @description end-entity certificate: base64 DER, or PEM
           * @example MIIFqDCCBJCgAwIBAgIE…
           */
          certificate: string;
          /**
           * @description from POST /v1/challenges
           * @example q3Vb7mX0TzK9aLp2sWn4Eg
           */
          challengeId: string;
          /** @description signature by the card over the challenge, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards) */
          signature: string;
          /**
           * @description hash the client used; default by the card key: sha256 for RSA cards, sha384 for ECDSA P-384 cards (the only hash they accept)
           * @enum {string}
           */
          digestAlgorithm?: 'sha256' | 'sha384' | 'sha512';
        };
      };
    };
    responses: {
      /** @description the verdict, and the link of a valid authentication */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            verdict: components['schemas']['Verdict'];
            certificate?: components['schemas']['Certificate'];
            basicInfo?: components['schemas']['BasicInfo'];
            conversionId?: string;
            link?: components['schemas']['Link'];
            /** @enum {string} */
            next: 'linked' | 'choose_card' | 'not_linked' | 'rejected';
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it); `malformed_base64`: a base64 field does not decode; `malformed_certificate`: a certificate is not valid DER X.509; `malformed_signature`: the signature value is not well formed for its algorithm; `digest_mismatch`: the digest given does not fit the digest algorithm */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request' | 'malformed_base64' | 'malformed_certificate' | 'malformed_signature' | 'digest_mismatch';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `body_too_large`: the request body exceeds the configured limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example body_too_large
             * @enum {string}
             */
            code: 'body_too_large';
            /** @example the request body exceeds the configured limit */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `unsupported_media_type`: the body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unsupported_media_type
             * @enum {string}
             */
            code: 'unsupported_media_type';
            /** @example the body is not application/json */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `overloaded`: too many verifications pending; retry after the Retry-After delay; `worker_failed`: the verification worker running this request failed; safe to retry; `queue_unavailable`: queue mode: the verification queue (Redis) is unreachable; retry after the delay; `queue_timeout`: queue mode: no worker answered within queue.timeoutMs; safe to retry with a new challenge; `job_failed`: queue mode: the verification job failed on every attempt and went to the dead-letter queue; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'overloaded' | 'worker_failed' | 'queue_unavailable' | 'queue_timeout' | 'job_failed' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  getLink: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description the id the API gave
         * @example cv_2Jq9XbT4mQ1sVn8aLk0PzR
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the link */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Link'];
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `not_found`: no such route or job */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example not_found
             * @enum {string}
             */
            code: 'not_found';
            /** @example no such route or job */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  deleteLink: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description the id the API gave
         * @example cv_2Jq9XbT4mQ1sVn8aLk0PzR
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description unlinked */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `not_found`: no such route or job */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example not_found
             * @enum {string}
             */
            code: 'not_found';
            /** @example no such route or job */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  createWatch: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /**
           * @description end-entity certificate: base64 DER, or PEM
           * @example MIIFqDCCBJCgAwIBAgIE…
           */
          certificate: string;
          /** @description the signed document, base64 (give data or digest) */
          data?: string;
          /** @description the document digest the client computed, base64 (give data or digest) */
          digest?: string;
          /**
           * @description hash the client used; default by the card key: sha256 for RSA cards, sha384 for ECDSA P-384 cards (the only hash they accept)
           * @enum {string}
           */
          digestAlgorithm?: 'sha256' | 'sha384' | 'sha512';
          /** @description signature by the card, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards) */
          signature: string;
          /**
           * Format: date-time
           * @description verify as of this time (e.g. the signing time); default now
           */
          at?: string;
          /**
           * @description the tenant's own customer id
           * @example customer-0042
           */
          customerRef?: string;
        };
      };
    };
    responses: {
      /** @description the watch */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Watch'];
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it); `malformed_base64`: a base64 field does not decode; `malformed_certificate`: a certificate is not valid DER X.509; `malformed_signature`: the signature value is not well formed for its algorithm; `digest_mismatch`: the digest given does not fit the digest algorithm */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request' | 'malformed_base64' | 'malformed_certificate' | 'malformed_signature' | 'digest_mismatch';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `body_too_large`: the request body exceeds the configured limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example body_too_large
             * @enum {string}
             */
            code: 'body_too_large';
            /** @example the request body exceeds the configured limit */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `unsupported_media_type`: the body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unsupported_media_type
             * @enum {string}
             */
            code: 'unsupported_media_type';
            /** @example the body is not application/json */
            message: string;
          };
        };
      };
      /** @description `not_verified`: enrolment or registration needs a valid verification; the verdict is in the message */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example not_verified
             * @enum {string}
             */
            code: 'not_verified';
            /** @example enrolment or registration needs a valid verification; the verdict is in the message */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `overloaded`: too many verifications pending; retry after the Retry-After delay; `worker_failed`: the verification worker running this request failed; safe to retry; `queue_unavailable`: queue mode: the verification queue (Redis) is unreachable; retry after the delay; `queue_timeout`: queue mode: no worker answered within queue.timeoutMs; safe to retry with a new challenge; `job_failed`: queue mode: the verification job failed on every attempt and went to the dead-letter queue; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'overloaded' | 'worker_failed' | 'queue_unavailable' | 'queue_timeout' | 'job_failed' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  getWatch: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description the id the API gave
         * @example cv_2Jq9XbT4mQ1sVn8aLk0PzR
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the watch */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Watch'];
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `not_found`: no such route or job */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example not_found
             * @enum {string}
             */
            code: 'not_found';
            /** @example no such route or job */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  deleteWatch: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description the id the API gave
         * @example cv_2Jq9XbT4mQ1sVn8aLk0PzR
         */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description removed */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `not_found`: no such route or job */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example not_found
             * @enum {string}
             */
            code: 'not_found';
            /** @example no such route or job */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  listChanges: {
    parameters: {
      query?: {
        /** @description the `next` of the previous page; absent: from the start */
        cursor?: string;
        /**
         * @description page size, 1 to 1000 (default 100)
         * @example 100
         */
        limit?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description a page of changes */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            changes: components['schemas']['Change'][];
            /** @description cursor of the next page; null on the last page */
            next: string | null;
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  listAudit: {
    parameters: {
      query?: {
        /** @description the `next` of the previous page; absent: from the start */
        cursor?: string;
        /**
         * @description page size, 1 to 1000 (default 100)
         * @example 100
         */
        limit?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description a page of audit records */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            records: {
              cursor: string;
              /**
               * Format: date-time
               * @description when the answer was given
               */
              at: string;
              /** @example /v1/verify/auth */
              route: string;
              /** @description verdict or error code; payments: decision:code */
              code: string;
              /** @description fingerprint (delegate tenants) or handle (proxy tenants) */
              certificate?: string;
            }[];
            /** @description cursor of the next page; null on the last page */
            next: string | null;
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  importLinkData: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json':
          | {
              records: {
                /** @enum {string} */
                type: 'renewal' | 'pair';
                from: string;
                to: string;
              }[];
            }
          | string;
        'text/csv':
          | {
              records: {
                /** @enum {string} */
                type: 'renewal' | 'pair';
                from: string;
                to: string;
              }[];
            }
          | string;
      };
    };
    responses: {
      /** @description the import report */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            records: number;
            renewals: number;
            pairs: number;
            skipped: number;
            /** @description serials already used on their own, which keep their conversion IDs */
            conflicts: number;
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it); `bad_link_data`: J-LIS link data with a malformed record (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request' | 'bad_link_data';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `body_too_large`: the request body exceeds the configured limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example body_too_large
             * @enum {string}
             */
            code: 'body_too_large';
            /** @example the request body exceeds the configured limit */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `unsupported_media_type`: the body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unsupported_media_type
             * @enum {string}
             */
            code: 'unsupported_media_type';
            /** @example the body is not application/json */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  authorizePayment: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /**
           * @description end-entity certificate: base64 DER, or PEM
           * @example MIIFqDCCBJCgAwIBAgIE…
           */
          certificate: string;
          /**
           * @description from POST /v1/challenges
           * @example q3Vb7mX0TzK9aLp2sWn4Eg
           */
          challengeId: string;
          /** @description signature by the card over the challenge, base64: RSASSA-PKCS1-v1_5, or a DER ECDSA-Sig-Value (P-384 cards) */
          signature: string;
          /**
           * @description hash the client used; default by the card key: sha256 for RSA cards, sha384 for ECDSA P-384 cards (the only hash they accept)
           * @enum {string}
           */
          digestAlgorithm?: 'sha256' | 'sha384' | 'sha512';
          /** @enum {string} */
          method: 'credit' | 'debit' | 'atm';
          terminalId: string;
          /**
           * @description in the currency's minor unit (JPY: yen)
           * @example 1200
           */
          amount: number;
          /** @example JPY */
          currency: string;
          /** @description the card chosen after a choose_card answer */
          cardRef?: string;
          /** @description the payment card PIN, encrypted by the terminal for the institution; opaque to the relay, never logged or stored */
          pinBlock?: string;
          /** @example shop42:2026-12-02:000123 */
          idempotencyKey: string;
        };
      };
    };
    responses: {
      /** @description the decision (Retry-After on idempotency_in_progress and institution errors) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PaymentDecision'];
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it); `malformed_base64`: a base64 field does not decode; `malformed_certificate`: a certificate is not valid DER X.509; `malformed_signature`: the signature value is not well formed for its algorithm; `digest_mismatch`: the digest given does not fit the digest algorithm */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request' | 'malformed_base64' | 'malformed_certificate' | 'malformed_signature' | 'digest_mismatch';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `body_too_large`: the request body exceeds the configured limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example body_too_large
             * @enum {string}
             */
            code: 'body_too_large';
            /** @example the request body exceeds the configured limit */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `unsupported_media_type`: the body is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unsupported_media_type
             * @enum {string}
             */
            code: 'unsupported_media_type';
            /** @example the body is not application/json */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `overloaded`: too many verifications pending; retry after the Retry-After delay; `worker_failed`: the verification worker running this request failed; safe to retry; `queue_unavailable`: queue mode: the verification queue (Redis) is unreachable; retry after the delay; `queue_timeout`: queue mode: no worker answered within queue.timeoutMs; safe to retry with a new challenge; `job_failed`: queue mode: the verification job failed on every attempt and went to the dead-letter queue; `store_unavailable`: a store is unreachable (the database, or the challenge store in Redis); nothing was recorded; retry after the delay */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'overloaded' | 'worker_failed' | 'queue_unavailable' | 'queue_timeout' | 'job_failed' | 'store_unavailable';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  operatorCrl: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the CRL sources */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @description what this process is
             * @enum {string}
             */
            mode: 'embedded' | 'queue' | 'worker';
            crl: {
              /** @description file path or URL as configured in crl.sources */
              source: string;
              /**
               * Format: date-time
               * @description of the newest CRL loaded from it; absent before the first load
               */
              thisUpdate?: string;
              /**
               * Format: date-time
               * @description of that CRL; absent when it gives none
               */
              nextUpdate?: string;
              crlNumber?: string;
            }[];
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  operatorTrust: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the trust anchors */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @description what this process is
             * @enum {string}
             */
            mode: 'embedded' | 'queue' | 'worker';
            anchors: {
              /** @enum {string} */
              hierarchy: 'signing' | 'authentication' | 'test' | 'other';
              /** @description year the root is valid from (2015, 2019, 2023 …) */
              generation: number;
              subject: string;
              /** @description hex */
              serial: string;
              /** @description e.g. RSA 2048, EC P-384 */
              key: string;
              /**
               * Format: date-time
               * @description start of validity
               */
              notBefore: string;
              /**
               * Format: date-time
               * @description end of validity
               */
              notAfter: string;
              expired: boolean;
              /** @description SHA-256 of the DER, hex */
              fingerprint: string;
            }[];
            /** @description generations loaded per JPKI hierarchy, oldest first */
            generations: {
              signing: number[];
              authentication: number[];
            };
            /** @description a hierarchy without roots, a generation loaded for one hierarchy only */
            warnings: string[];
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `unauthorized`: no API key, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example unauthorized
             * @enum {string}
             */
            code: 'unauthorized';
            /** @example no API key, or an unknown one */
            message: string;
          };
        };
      };
      /** @description `forbidden`: the tenant may not use this function */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example forbidden
             * @enum {string}
             */
            code: 'forbidden';
            /** @example the tenant may not use this function */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `rate_limited`: the tenant rate limit is reached; retry after the Retry-After delay */
      429: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example rate_limited
             * @enum {string}
             */
            code: 'rate_limited';
            /** @example the tenant rate limit is reached; retry after the Retry-After delay */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  health: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description alive */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ok';
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  ready: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description ready */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ready';
            /**
             * @description what this process is
             * @enum {string}
             */
            mode: 'embedded' | 'queue' | 'worker';
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown; `not_ready`: trust store or CRL data not ready (readiness only) */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down' | 'not_ready';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  metrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the metrics */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
  openapi: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the OpenAPI 3.1 document of this API */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description `bad_request`: a field is missing, of the wrong type or out of range (the message names it) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example bad_request
             * @enum {string}
             */
            code: 'bad_request';
            /** @example a field is missing, of the wrong type or out of range (the message names it) */
            message: string;
          };
        };
      };
      /** @description `request_timeout`: the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example request_timeout
             * @enum {string}
             */
            code: 'request_timeout';
            /** @example the request (headers and body) did not arrive within limits.requestTimeoutMs / limits.headersTimeoutMs; the connection is closed */
            message: string;
          };
        };
      };
      /** @description `uri_too_long`: the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example uri_too_long
             * @enum {string}
             */
            code: 'uri_too_long';
            /** @example the request target is longer than limits.maxUrlBytes (or than the HTTP parser takes) */
            message: string;
          };
        };
      };
      /** @description `headers_too_large`: the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example headers_too_large
             * @enum {string}
             */
            code: 'headers_too_large';
            /** @example the request header fields exceed what the HTTP parser takes (16 KB, Node --max-http-header-size) */
            message: string;
          };
        };
      };
      /** @description `internal`: an unexpected error; the log has the detail (never personal data) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example internal
             * @enum {string}
             */
            code: 'internal';
            /** @example an unexpected error; the log has the detail (never personal data) */
            message: string;
          };
        };
      };
      /** @description `shutting_down`: the service is draining for shutdown */
      503: {
        headers: {
          /** @description seconds to wait before retrying */
          'retry-after'?: number;
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /**
             * @example shutting_down
             * @enum {string}
             */
            code: 'shutting_down';
            /** @example the service is draining for shutdown */
            message: string;
          };
        };
      };
    };
  };
}
