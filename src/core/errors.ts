/**
 * The one base of Verbatim's expected failures (a bad setting, a missing folder, a question
 * that cannot be searched, a busy index…): its message is one line fit to show a person, never
 * a stack, and `exitCode` is what a command-line program ends with. Anything else that is
 * thrown is a bug, reported as "unexpected error" with its stack.
 */
export class VerbatimError extends Error {
  /** The exit code of a command-line program that stops on this failure. */
  readonly exitCode: number = 1;
}
