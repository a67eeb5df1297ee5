/**
 * Time to issue node certificates (fresh 2048-bit RSA key, SANs, signed by the cluster intermediate), in one run:
 *   (a) plinth's `issueCertificate`, one at a time (native key generation, node-forge signing)
 *   (b) the same with 4 in flight (key generation runs on libuv's thread pool)
 *   (c) the openssl CLI, one certificate at a time (`openssl req -newkey` + `openssl x509 -req`), as a shell
 *       script would do it
 * Wall time and CPU time (this process, or the openssl children) are both shown: on a shared machine the CPU
 * time is the steadier figure. Usage: npx tsx bench/pki.ts [CERTIFICATES]   (default 1000)
 */
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { issueCertificate } from '../reconciler/pki/issue-certificate.js';
import type { CertificateRequest, IssuedCertificate } from '../reconciler/pki/types.js';

const run = promisify(execFile);
const COUNT = Number(process.argv[2] ?? 1000);

function requestFor(index: number): CertificateRequest {
  const fqdn = `bench-compute-${index}.bench.example.net`;
  return { role: 'server', commonName: fqdn, cluster: 'bench', dnsNames: [`bench-compute-${index}`, fqdn], ipAddresses: [`10.10.${index >> 8}.${index & 255}`], validityDays: 365 };
}

interface Timed {
  wallMs: number;
  cpuMs: number;
}

/** CPU time of this process's waited-for children (cutime + cstime in /proc/self/stat, clock ticks of 10 ms). */
function readChildrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function readOwnCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

async function issueWithPlinth(issuer: IssuedCertificate, inFlight: number): Promise<Timed> {
  const started = performance.now();
  const cpuStarted = readOwnCpuMs();
  let next = 0;
  const worker = async () => {
    while (next < COUNT) await issueCertificate(requestFor(next++), issuer, new Date());
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { wallMs: performance.now() - started, cpuMs: readOwnCpuMs() - cpuStarted };
}

async function issueWithOpenssl(dir: string, issuer: IssuedCertificate): Promise<Timed> {
  await writeFile(join(dir, 'ca.pem'), issuer.certificatePem);
  await writeFile(join(dir, 'ca.key'), issuer.keyPem, { mode: 0o600 });
  const started = performance.now();
  const cpuStarted = readChildrenCpuMs();
  for (let index = 0; index < COUNT; index += 1) {
    const request = requestFor(index);
    const names = [...(request.dnsNames ?? []).map((name) => `DNS:${name}`), ...(request.ipAddresses ?? []).map((ip) => `IP:${ip}`)].join(',');
    await writeFile(join(dir, 'ext'), `subjectAltName=${names}\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n`);
    await run('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'leaf.key'), '-out', join(dir, 'leaf.csr'), '-subj', `/O=bench/CN=${request.commonName}`]);
    await run('openssl', ['x509', '-req', '-in', join(dir, 'leaf.csr'), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-days', '365', '-extfile', join(dir, 'ext'), '-out', join(dir, 'leaf.pem')]);
  }
  return { wallMs: performance.now() - started, cpuMs: readChildrenCpuMs() - cpuStarted };
}

const dir = await mkdtemp(join(tmpdir(), 'plinth-bench-pki-'));
try {
  const root = await issueCertificate({ role: 'root-ca', commonName: 'bench root CA', cluster: 'bench', validityDays: 3650 }, undefined, new Date());
  const intermediate = await issueCertificate({ role: 'intermediate-ca', commonName: 'bench intermediate CA', cluster: 'bench', validityDays: 1825 }, root, new Date());
  const sequential = await issueWithPlinth(intermediate, 1);
  const parallel = await issueWithPlinth(intermediate, 4);
  const openssl = await issueWithOpenssl(dir, intermediate);
  const line = (label: string, timed: Timed) =>
    console.log(`${label.padEnd(32)} wall ${timed.wallMs.toFixed(0).padStart(7)} ms (${(timed.wallMs / COUNT).toFixed(1)}/cert)  cpu ${timed.cpuMs.toFixed(0).padStart(7)} ms (${(timed.cpuMs / COUNT).toFixed(1)}/cert)`);
  console.log(`${COUNT} node certificates, RSA 2048, signed by an intermediate`);
  line('(a) plinth, one at a time', sequential);
  line('(b) plinth, 4 in flight', parallel);
  line('(c) openssl CLI, one at a time', openssl);
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  console.log(`ratio (c)/(a): wall ${ratio(openssl.wallMs, sequential.wallMs)}, cpu ${ratio(openssl.cpuMs, sequential.cpuMs)}   (c)/(b): wall ${ratio(openssl.wallMs, parallel.wallMs)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
