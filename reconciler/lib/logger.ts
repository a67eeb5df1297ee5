import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Field paths whose values are replaced before a log line is written. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'privateKey',
  '*.privateKey',
  'credentials',
  '*.credentials',
];

/** One root logger per process; stages take child loggers (`log.child({ revision })`). */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const settings = {
    level: options.level ?? process.env.PLINTH_LOG_LEVEL ?? 'info',
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'plinth' },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** A logger that writes nothing, for tests and pure stages. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
