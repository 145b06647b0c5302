#!/usr/bin/env node
// jpki-verify: command-line entry. Each command is a thin shell over the core, the processes in src/app and the tools in src/dev.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from './args.js';
import { commands } from './commands.js';
import { packageVersion } from '../ops/package-info.js';

const USAGE = `jpki-verify — JPKI certificate and signature verifier

Commands:
  config (schema|docs)                     print the configuration's JSON Schema, or its field reference (Markdown)
  start [--dir D]                          the embedded default: demo J-LIS + CRLs, HTTP service, printed try-it commands
  serve --config FILE                      run the HTTP service (config file + JPKI_* environment overrides);
                                           with "mode": "queue" it enqueues verifications for worker processes
  worker --config FILE                     a queue worker process: consumes verification jobs from Redis (BullMQ)
  institution --config FILE                the reference bank / card company for the payment relay (accounts in Redis)
  client (auth|signature) --url U --key K --dir D --holder ID [--tamper]
                                           drive the HTTP API as a relay would, with a simulated card
  client (auth|signature|enrol|pay) … --reader [NAME] [--pin-stdin] [--extended]
                                           … with the My Number Card in a PC/SC reader: challenge from the API,
                                           PIN asked without echo (or one line on stdin), the card signs
  client enrol … --customer REF --card INSTITUTION:KIND:ACCOUNT[,…]
  client pay … --method credit|debit|atm --amount N [--card-ref ID] [--pin PIN --pin-key KEY]
                                           link the holder to cards; pay with the My Number Card
  demo                                     make a demo PKI and CRLs; show valid / revoked / tampered / wrong-type verdicts
  pki init --dir D [--auth N] [--signing N] [--test N] [--ecdsa-auth N] [--ecdsa-signing N] [--pool K] [--seed S] [--now ISO] [--ocsp-url URL]
                                           write a simulated J-LIS PKI (roots, holders, keys) into D; --ecdsa-*:
                                           holders of the ECDSA P-384 generation (next-generation card); the holders'
                                           certificates name URL as their OCSP responder (default http://127.0.0.1:8091/)
  pki crl --dir D [--entries N] [--revoke ID:REASON,...] [--now ISO]
                                           publish partitioned CRLs for D's holders into D/crl (rotates on repeat)
  pki revoke --dir D --holders ID[:REASON],... [--now ISO]
                                           revoke now: OCSP answers revoked at once, the next "pki crl" publishes it
  pki ocsp serve --dir D [--port 8091] [--host 127.0.0.1] [--validity SECONDS]
                                           the simulated J-LIS OCSP responder (POST and GET), signing with a
                                           delegated responder per root (D/ocsp), from the same data as the CRLs
  pki renew --dir D --holders ID,... [--pairs SIGNING:AUTH,...] [--now ISO]
                                           renew authentication certificates; write J-LIS link data to D/link-data
  pki serve --dir D [--port 8089] [--host 127.0.0.1] [--rotate-every SECONDS] [--ocsp-port 8091]
                                           serve D/crl over HTTP with ETags (the simulated J-LIS distribution point);
                                           with --ocsp-port, its OCSP responder too (as pki ocsp serve)
  card sign --dir D --holder ID (--challenge HEX | --data-file F | --digest HEX) [--hash H]
                                           sign as the card does (RSA: SHA-256, ECDSA P-384: SHA-384 unless
                                           --hash); prints the signature in base64
  card cert --dir D --holder ID            print the holder's certificate (PEM), as read from the card
  reader list                              PC/SC readers, and the ATR of the card in each
  card read [--reader NAME] [--signing] [--pin-stdin] [--extended]
                                           read the My Number Card: authentication certificate and CA (PEM);
                                           with --signing, the signing certificate and CA after the password
  card sign [--reader NAME] [--purpose auth|signing] (--challenge HEX | --data-file F | --digest HEX) [--pin-stdin]
                                           the card in the reader signs after its PIN; prints base64
  card virtual --dir D --holder ID [--signing-holder ID] [--pin P] [--password P] [--slot 0|1] [--token T]
                                           a virtual My Number Card in pcscd's vpcd reader (needs vsmartcard-vpcd)
  verify auth --roots PATH... (--crl PATH... | --no-revocation) --cert FILE --challenge HEX --signature B64 [--at ISO]
  verify signature --roots PATH... (--crl PATH... | --no-revocation) --cert FILE (--data-file F | --digest HEX) --signature B64 [--hash H] [--at ISO]
                                           print the verdict as JSON (the API's shape); exit 0 only when valid.
                                           With --crl (files or folders), revocation is checked; stale or missing
                                           CRL data is indeterminate unless --soft-fail. Without either, a valid
                                           verdict says revocation not_checked and exits 3. --accept-ecdsa:
                                           accept the ECDSA P-384 generation (next-generation card)
  limbo FILE [--exceptions FILE|none] [--include-webpki]
                                           run x509-limbo cases; one JSON line per case and a summary
  pkits DIR                                run NIST PKITS from DIR (certs/, crls/)

Exit codes: 0 success, 1 a verification or conformance mismatch, 2 bad usage or input, 3 valid but revocation not checked.`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    console.log(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd === '--version') {
    console.log(packageVersion());
    return 0;
  }
  const run = commands[cmd];
  if (Object.hasOwn(commands, cmd) && (rest.includes('--help') || rest.includes('-h'))) {
    console.log(usageOf(cmd));
    return 0;
  }
  if (!run) {
    console.error(`unknown command "${cmd}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${cmd}: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    const e = err as Error & { code?: string };
    const code = e.name === 'CardError' && e.code ? ` ${e.code}` : '';
    console.error(`${cmd}: ${e.name === 'Error' ? '' : `${e.name}${code}: `}${e.message}`);
    return 2;
  }
}

/** The usage lines of one command (its entries in USAGE, continuation lines included). */
function usageOf(cmd: string): string {
  const lines = USAGE.split('\n');
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (/^  \S/.test(line)) inside = line.startsWith(`  ${cmd} `) || line === `  ${cmd}`;
    else if (!/^ {3,}\S/.test(line)) inside = false;
    if (inside) out.push(line);
  }
  return out.length
    ? `jpki-verify ${cmd}\n\n${out.join('\n')}\n\nExit codes: 0 success, 1 a verification or conformance mismatch, 2 bad usage or input, 3 valid but revocation not checked.`
    : USAGE;
}

/** Executed directly (not imported by tests)? An installed `jpki-verify` is a symlink into the
 *  package, so both sides are compared as real paths. */
function invokedDirectly(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
