/** Starting and measuring the servers bench/boot-serving.ts compares: nginx and plinth, each its own process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand } from '../reconciler/lib/command.js';

export interface Peer {
  name: string;
  port: number;
  process: ChildProcess;
}

/** A port the kernel just handed out, so nginx is unlikely to collide with another listener. */
async function findFreePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function renderNginxConfig(dir: string, port: number): string {
  const temp = join(dir, 'nginx-temp');
  return `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')};
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    location /boot/assets/ { alias ${join(dir, 'assets')}/; }
    location /boot/ { alias ${join(dir, 'scripts')}/; try_files /node.ipxe =404; }
  }
}
`;
}

/** nginx with one worker (as plinth has one event loop) and sendfile, serving `dir/assets` and one script file. */
export async function startNginx(dir: string): Promise<Peer> {
  await mkdir(join(dir, 'nginx-temp'), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await findFreePort();
    await writeFile(join(dir, 'nginx.conf'), renderNginxConfig(dir, port));
    const child = spawn('nginx', ['-p', dir, '-e', join(dir, 'nginx-error.log'), '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
    for (let probe = 0; probe < 100 && child.exitCode === null; probe += 1) {
      const answer = await runCommand('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${port}/boot/x.ipxe`]);
      if (answer.stdout === '200') return { name: 'nginx', port, process: child };
      await sleep(50);
    }
    child.kill('SIGKILL');
  }
  throw new Error(`nginx did not start, see ${join(dir, 'nginx-error.log')}`);
}

/** plinth's boot routes in their own node process; `web-stream` forces the generic Response body path. */
export async function startPlinth(assetsDir: string, nodes: number, mode: 'pipe' | 'web-stream'): Promise<Peer> {
  const script = new URL('./boot-serving-server.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, assetsDir, String(nodes), mode], {
    cwd: new URL('..', import.meta.url).pathname,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`plinth server exited with ${code}`)));
  });
  return { name: `plinth (${mode})`, port, process: child };
}

/** CPU seconds (user + system) used so far by a process and its children threads' owner processes (nginx workers). */
export async function readCpuSeconds(pid: number): Promise<number> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const pids = [pid, ...children.split(/\s+/).filter(Boolean).map(Number)];
  let ticks = 0;
  for (const each of pids) {
    const stat = await readFile(`/proc/${each}/stat`, 'utf8').catch(() => '');
    // Fields after the command name (which may hold spaces): utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / 100;
}

export async function stopPeer(peer: Peer): Promise<void> {
  if (peer.process.exitCode !== null) return;
  const exited = new Promise((resolve) => peer.process.once('exit', resolve));
  peer.process.kill('SIGTERM');
  await Promise.race([exited, sleep(3000, undefined, { ref: false })]);
  if (peer.process.exitCode === null) peer.process.kill('SIGKILL');
}
