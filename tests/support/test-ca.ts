/** Throwaway TLS material for test servers, made with the openssl CLI at test time (nothing is checked in). */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export interface CertificateAuthority {
  certificate: string;
  /** Issues a server certificate for an IP address (the subjectAltName clients verify). */
  issue(ip: string): Promise<{ certificate: string; key: string }>;
  dispose(): Promise<void>;
}

export async function createCertificateAuthority(name = 'plinth test CA'): Promise<CertificateAuthority> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-ca-'));
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.pem');
  await run('openssl', [
    ...['req', '-x509', ...EC_KEY, '-keyout', caKey, '-out', caCert, '-days', '2', '-subj', `/CN=${name}`],
    ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  ]);
  let serial = 0;
  async function issue(ip: string): Promise<{ certificate: string; key: string }> {
    serial += 1;
    const base = join(dir, `server-${serial}`);
    await writeFile(`${base}.ext`, `subjectAltName=IP:${ip}\nextendedKeyUsage=serverAuth\n`);
    await run('openssl', ['req', ...EC_KEY, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${ip}`]);
    await run('openssl', [
      ...['x509', '-req', '-in', `${base}.csr`, '-CA', caCert, '-CAkey', caKey, '-set_serial', String(serial)],
      ...['-out', `${base}.pem`, '-days', '2', '-extfile', `${base}.ext`],
    ]);
    return { certificate: await readFile(`${base}.pem`, 'utf8'), key: await readFile(`${base}.key`, 'utf8') };
  }
  return {
    certificate: await readFile(caCert, 'utf8'),
    issue,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
