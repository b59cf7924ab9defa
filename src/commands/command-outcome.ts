/**
 * What a command's result means to a script: everything is fine, or something failed, is unhealthy
 * or is stale. Commands say it with their result; cli-exit.ts turns it (and any error) into the exit code.
 */
export type CommandOutcome = "ok" | "failed";

export const failedIf = (failed: boolean): CommandOutcome => (failed ? "failed" : "ok");
