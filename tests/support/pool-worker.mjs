// A worker speaking WorkerPool's message protocol, in plain JavaScript so it runs without a TypeScript loader.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', ({ id, input }) => {
  if (input === 'exit') process.exit(3);
  if (input === 'fail') parentPort.postMessage({ id, ok: false, message: 'task failed' });
  else parentPort.postMessage({ id, ok: true, value: input * 2 });
});
