/** Exit codes scripts can rely on (documented in docs/cli.md). */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** The server refused the command; its message is printed. */
  refused: 1,
  /** The command was called wrongly (unknown option, bad JSON in --vars, unreadable file). */
  usage: 2,
  /** No Baton answered at the address. */
  unreachable: 3,
  /** The command needs a feature Baton does not have yet. */
  unsupported: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in how a command was called (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
