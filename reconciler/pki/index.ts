export type { CertificateFacts, CertificateRequest, CertificateRole, IssuedCertificate, TrackedCertificate } from './types.js';
export { issueCertificate } from './issue-certificate.js';
export { checkCertificate } from './check-certificate.js';
export { planRenewals, DEFAULT_RENEWAL_MARGIN_DAYS, type PlannedRenewal } from './plan-renewals.js';
export {
  ensureApiVipCertificate,
  ensureCertificate,
  ensureClusterAuthority,
  ensureNodeCertificates,
  listTrackedCertificates,
  DEFAULT_VALIDITY,
  type ClusterAuthority,
  type ClusterPkiDeps,
  type NodeCertificates,
  type PkiValidity,
} from './cluster-pki.js';
