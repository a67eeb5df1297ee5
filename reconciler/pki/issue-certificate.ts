import { generateKeyPair, randomBytes, sign } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { CertificateRequest, CertificateRole, IssuedCertificate } from './types.js';

/** sha256WithRSAEncryption (RFC 4055). */
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

/** forge exports this function, but its type definitions leave it out. */
interface ForgeTbs {
  getTBSCertificate(certificate: forge.pki.Certificate): forge.asn1.Asn1;
}

const generateRsaKeyPair = promisify(generateKeyPair);
const DAY_MS = 24 * 3600 * 1000;
/** Certificates start a little in the past so that a peer whose clock lags slightly still accepts them. */
const BACKDATE_MS = 5 * 60 * 1000;

/** Key generation is native (node:crypto) and off the event loop; forge only assembles the certificate. */
async function generateRsaKey(): Promise<{ publicKey: forge.pki.rsa.PublicKey; keyPem: string }> {
  const { privateKey, publicKey } = await generateRsaKeyPair('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey, keyPem: privateKey };
}

/**
 * Signs as forge's `certificate.sign` does (same fields, same order), but with node:crypto's native RSA:
 * forge's JavaScript big-number RSA costs tens of milliseconds per signature and is not constant-time.
 */
function signCertificate(certificate: forge.pki.Certificate, signingKeyPem: string): void {
  const fields = certificate as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1; signatureOid: string; siginfo: { algorithmOid: string } };
  fields.signatureOid = SHA256_WITH_RSA;
  fields.siginfo.algorithmOid = fields.signatureOid;
  fields.tbsCertificate = (forge.pki as unknown as ForgeTbs).getTBSCertificate(certificate);
  const tbs = Buffer.from(forge.asn1.toDer(fields.tbsCertificate).getBytes(), 'binary');
  fields.signature = sign('sha256', tbs, signingKeyPem).toString('binary');
}

/** A positive 128-bit serial: RFC 5280 asks for unpredictable serials of at most 20 octets. */
function generateSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function describeUsages(role: CertificateRole): object[] {
  switch (role) {
    case 'root-ca':
      return [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }];
    case 'intermediate-ca':
      // pathLen 0: the intermediate signs node certificates, never another CA.
      return [{ name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }];
    case 'server':
      return leafUsages({ serverAuth: true });
    case 'client':
      return leafUsages({ clientAuth: true });
    case 'puppet-agent':
      // Puppet agents present their certificate to the server and serve on it for `puppet kick` style calls.
      return leafUsages({ serverAuth: true, clientAuth: true });
  }
}

function leafUsages(extended: { serverAuth?: boolean; clientAuth?: boolean }): object[] {
  return [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', ...extended },
  ];
}

function describeAltNames(request: CertificateRequest): object[] {
  const dns = [...new Set(request.dnsNames ?? [])].map((value) => ({ type: 2, value }));
  const ips = [...new Set(request.ipAddresses ?? [])].map((ip) => ({ type: 7, ip }));
  return dns.length + ips.length === 0 ? [] : [{ name: 'subjectAltName', altNames: [...dns, ...ips] }];
}

/**
 * Issues a certificate with a fresh 2048-bit RSA key, signed by `issuer` (or self-signed for a root CA).
 * Example: `const root = await issueCertificate({ role: 'root-ca', commonName: 'pub1 root CA', cluster: 'pub1', validityDays: 3650 }, undefined, new Date())`.
 */
export async function issueCertificate(request: CertificateRequest, issuer: IssuedCertificate | undefined, now: Date): Promise<IssuedCertificate> {
  const key = await generateRsaKey();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = key.publicKey;
  certificate.serialNumber = generateSerial();
  certificate.validity.notBefore = new Date(now.getTime() - BACKDATE_MS);
  certificate.validity.notAfter = new Date(now.getTime() + request.validityDays * DAY_MS);
  const subject = [
    { name: 'organizationName', value: request.cluster },
    { name: 'commonName', value: request.commonName },
  ];
  certificate.setSubject(subject);
  const issuerCertificate = issuer === undefined ? undefined : forge.pki.certificateFromPem(issuer.certificatePem);
  certificate.setIssuer(issuerCertificate?.subject.attributes ?? subject);
  const authorityKey = issuerCertificate === undefined ? {} : { keyIdentifier: issuerCertificate.generateSubjectKeyIdentifier().getBytes() };
  certificate.setExtensions([
    ...describeUsages(request.role),
    ...describeAltNames(request),
    { name: 'subjectKeyIdentifier' },
    ...(issuerCertificate === undefined ? [] : [{ name: 'authorityKeyIdentifier', ...authorityKey }]),
  ]);
  signCertificate(certificate, issuer?.keyPem ?? key.keyPem);
  return { certificatePem: forge.pki.certificateToPem(certificate), keyPem: key.keyPem };
}
