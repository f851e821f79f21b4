import { ConfigError, describeConfig } from './config.ts';
import { startSidecar } from './sidecar.ts';

// The composition root's entry: start, print where things are, stop cleanly on SIGINT/SIGTERM.
if (process.argv.includes('--help')) {
  for (const { key, description } of describeConfig()) console.log(`${key}\n    ${description}`);
  process.exit(0);
}

try {
  const sidecar = await startSidecar();
  const where = [
    '',
    'Comeback is running.',
    `  sidecar   ${sidecar.url}`,
    `  health    ${sidecar.url}/healthz`,
    `  database  ${sidecar.database.server}${sidecar.embedded ? ` (private, data in ${sidecar.embedded.dataDir}, 127.0.0.1:${sidecar.embedded.port})` : ''}`,
    ...(sidecar.config.mail.smtpUrl
      ? []
      : [
          `  outbox    ${sidecar.url}/dev/outbox (messages stay on this machine${sidecar.config.devOutbox ? '' : '; it needs the admin token: COMEBACK_DEV_OUTBOX=on opens it on loopback'})`,
        ]),
    ...(sidecar.demo
      ? [
          `  demo shop ${sidecar.demo.shop.url} (a stand-in, not a real store; set COMEBACK_DEMO=off to skip it)`,
          '            it placed two unpaid orders an hour ago: their reminders appear in the outbox within a minute.',
        ]
      : []),
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stderr.write(where.join('\n'));
  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) process.exit(130); // a second Ctrl-C means now
    sidecar.logger.info({ signal }, 'stopping');
    sidecar.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        sidecar.logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`comeback failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
