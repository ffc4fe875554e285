import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The fixed field names of orc's structured logs (style.md §9). Messages are static text;
 * values go in these fields.
 */
export type LogFields = Partial<{
  component: string;
  instance: string;
  cluster: string;
  analysis: string;
  recoveryId: string | number;
  raftTerm: number;
  raftIndex: number;
  peer: string;
  err: unknown;
}>;

/**
 * Builds the process logger. `pretty` renders for people (pino-pretty) on a terminal;
 * otherwise JSON lines go to stderr so that stdout stays for command output.
 */
export function createLogger(options: { level?: string; pretty?: boolean } = {}): Logger {
  const level = options.level ?? 'info';
  if (options.pretty) {
    return pino({
      level,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } },
    });
  }
  return pino({ level }, pino.destination(2));
}

/** A logger that drops everything; for tests and library callers that want silence. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
