/**
 * A real sidecar process (startSidecar: config → db → scheduler → http), configured by its
 * environment and nothing else, as a deployment runs it. It says `{ ready }` once it serves.
 */
import { startSidecar } from '../../sidecar/src/sidecar.ts';

const sidecar = await startSidecar();

const stop = () => {
  sidecar.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
// Listening before saying ready: a SIGTERM that arrives before a listener exists kills the process.
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.send?.({ ready: true, url: sidecar.url, pid: process.pid });
