/**
 * An error the user can fix: bad input, bad config, a service that is down.
 * The CLI prints only its message (no stack trace) and exits with `exitCode`.
 */
export class UserError extends Error {
  /** 2 = bad usage or configuration, 1 = the work failed, 3 = blocked by the marketplace. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
