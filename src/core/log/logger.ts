import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { redactSecrets, redactUrlCredentials } from './redact.ts';

export type { Logger };

export interface LoggerOptions {
  /** Lowest pino level written (trace, debug, info, warn, error, fatal). @default 'info' */
  level?: string;
  /** Pretty output for humans. @default true when stderr is a TTY */
  pretty?: boolean;
  /** Where to write, so stdout stays clean for command output (JSON, CSV). @default stderr */
  destination?: NodeJS.WritableStream;
}

/** JSON logs by default, pretty on a TTY, secrets redacted from every record and message. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const usePretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const destination =
    options.destination ??
    (usePretty
      ? pretty({ destination: 2, sync: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' })
      : pino.destination({ fd: 2, sync: true }));
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      formatters: { log: (record) => redactSecrets(record) },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === 'string' ? redactUrlCredentials(arg) : arg));
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
