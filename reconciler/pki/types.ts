/** What a certificate is for; it decides the key usages, extended key usages and CA constraints. */
export type CertificateRole = 'root-ca' | 'intermediate-ca' | 'server' | 'client' | 'puppet-agent';

export interface CertificateRequest {
  role: CertificateRole;
  commonName: string;
  /** Written as the subject's organisation, so every certificate names its cluster. */
  cluster: string;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  validityDays: number;
}

/** A certificate and its private key, both PEM. The key goes only to the vault and to its owner. */
export interface IssuedCertificate {
  certificatePem: string;
  keyPem: string;
}

/** The part of a certificate that renewal planning needs. */
export interface TrackedCertificate {
  name: string;
  notAfter: Date;
}

/** What `checkCertificate` reads back from a PEM with node:crypto. */
export interface CertificateFacts {
  commonName: string | undefined;
  dnsNames: string[];
  ipAddresses: string[];
  notBefore: Date;
  notAfter: Date;
  isCertificateAuthority: boolean;
  /** Whether the given issuer's subject matches and its key verifies the signature; undefined without an issuer. */
  issuedBy: boolean | undefined;
  fingerprint256: string;
}
