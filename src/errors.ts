/**
 * Named errors. Row-level problems are data (rejects), not exceptions; these are for problems
 * that stop a whole step: bad configuration, a file that cannot be read at all, a missing object.
 */
export class RotascopeError extends Error {
  override name = 'RotascopeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A setting is missing or invalid. The message names the setting. */
export class ConfigError extends RotascopeError {
  override name = 'ConfigError';
}

/**
 * The command was asked for something that cannot be done as asked (a week that is not in the
 * data, or not over yet): the CLI exits 2, as for a bad option, and says what would work.
 */
export class UsageError extends RotascopeError {
  override name = 'UsageError';
}

/** A raw export cannot be read at all (wrong encoding, no header, not the expected format). */
export class UnreadableExportError extends RotascopeError {
  override name = 'UnreadableExportError';
  constructor(
    readonly key: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot read export ${key}: ${problem}`, options);
  }
}

/** An object that should exist in a store does not. */
export class ObjectNotFoundError extends RotascopeError {
  override name = 'ObjectNotFoundError';
  constructor(readonly key: string) {
    super(`No object at ${key}`);
  }
}

export function isRotascopeError(error: unknown): error is RotascopeError {
  return error instanceof RotascopeError;
}

/** One line for a person: the message of a known error, or the first line of anything else. */
export function oneLineReason(error: unknown): string {
  if (error instanceof Error) return (error.message.split('\n')[0] ?? error.name).trim();
  return String(error);
}
