import { runCommand, type CommandRunner } from '../lib/command.js';
import { PlinthError } from '../lib/errors.js';

/** How signatures are checked: an OpenPGP keyring (GNUPGHOME) or an SSH allowed-signers file. */
export type SignaturePolicy =
  | { kind: 'openpgp'; gnupgHome: string }
  | { kind: 'ssh'; allowedSignersFile: string };

/** Throws SOURCE_UNVERIFIED_COMMIT unless `sha` carries a good signature from a trusted key. */
export type CommitVerifier = (repoPath: string, sha: string) => Promise<void>;

const VERIFY_TIMEOUT_MS = 30_000;

/**
 * A verifier running `git verify-commit` with the trust configured here, not the repository's own config:
 * a cloned repository must not be able to widen who it trusts. Only the exit status decides (git prints
 * nothing at all for an unsigned commit).
 *
 * @example const verify = createCommitVerifier({ kind: 'ssh', allowedSignersFile: '/etc/plinth/allowed_signers' })
 */
export function createCommitVerifier(policy: SignaturePolicy, run: CommandRunner = runCommand): CommitVerifier {
  return async (repoPath, sha) => {
    const env: Record<string, string> = policy.kind === 'openpgp' ? { GNUPGHOME: policy.gnupgHome } : {};
    const config =
      policy.kind === 'ssh'
        ? ['-c', 'gpg.format=ssh', '-c', `gpg.ssh.allowedSignersFile=${policy.allowedSignersFile}`]
        : ['-c', 'gpg.format=openpgp'];
    const result = await run('git', ['-C', repoPath, ...config, 'verify-commit', '--', sha], { env, timeoutMs: VERIFY_TIMEOUT_MS });
    if (result.exitCode === 0 && !result.timedOut) return;
    const reason = result.stderr.split('\n').find((line) => line.trim() !== '')?.trim() ?? 'commit is not signed';
    throw new PlinthError('SOURCE_UNVERIFIED_COMMIT', `commit ${sha} has no valid signature from a trusted ${policy.kind} key; it will not be applied`, {
      details: { sha, policy: policy.kind, reason },
    });
  };
}
