import { describe } from 'vitest';

/**
 * `describe` for tests that need a database server. Under `CI` they always run (and fail when the
 * server is down); elsewhere an unreachable server skips them visibly, naming what was tried.
 */
export function describeWithServer(name: string, reachable: boolean, where: string, body: () => void): void {
  if (reachable || process.env.CI) describe(name, body);
  else describe.skip(`${name} (server unreachable at ${where})`, body);
}
