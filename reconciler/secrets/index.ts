export type { SecretKind, SecretRecord, SecretSpec, SecretSummary, SecretVault, SecretVersion } from './types.js';
export { SecretError, isSecretError, type SecretErrorCode } from './secret-error.js';
export { generateSecret } from './generate-secret.js';
export { describeSshPublicKey, generateSshKey } from './ssh-key.js';
export { loadVaultKey, SECRET_KEY_ENV } from './vault-key.js';
export { FileVault, openFileVault, DEFAULT_ROTATION_GRACE_MS, type FileVaultOptions } from './file-vault.js';
export { resolveSecretReference, type SecretReferenceDeps } from './resolve-reference.js';
export { resolveDeliveredEnc, decideSecretSpec } from './deliver-enc-secrets.js';
