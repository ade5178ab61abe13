/** A failure of the tooling (stack, build, bench) with a message meant for the person at the terminal. */
export class StackError extends Error {}
