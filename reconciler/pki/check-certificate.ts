import { X509Certificate } from 'node:crypto';
import type { CertificateFacts } from './types.js';

/** `CN=...` out of node:crypto's multi-line subject, where each attribute sits on its own line. */
function readCommonName(subject: string): string | undefined {
  return subject.split('\n').find((line) => line.startsWith('CN='))?.slice(3);
}

function readAltNames(altNames: string | undefined, prefix: string): string[] {
  if (altNames === undefined) return [];
  return altNames
    .split(', ')
    .filter((entry) => entry.startsWith(prefix))
    .map((entry) => entry.slice(prefix.length));
}

/**
 * Reads a PEM certificate back with node:crypto (not the library that wrote it) and, given its issuer,
 * checks that the issuer's subject matches and its key verifies the signature.
 * Example: `checkCertificate(node.certificatePem, intermediate.certificatePem).issuedBy === true`.
 */
export function checkCertificate(certificatePem: string, issuerPem?: string): CertificateFacts {
  const certificate = new X509Certificate(certificatePem);
  const issuer = issuerPem === undefined ? undefined : new X509Certificate(issuerPem);
  return {
    commonName: readCommonName(certificate.subject),
    dnsNames: readAltNames(certificate.subjectAltName, 'DNS:'),
    ipAddresses: readAltNames(certificate.subjectAltName, 'IP Address:'),
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
    isCertificateAuthority: certificate.ca,
    issuedBy: issuer === undefined ? undefined : certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey),
    fingerprint256: certificate.fingerprint256,
  };
}
