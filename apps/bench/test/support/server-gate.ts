import { describe } from 'vitest';

/**
 * `describe` for tests that need a database server. Under `CI` they always run (and fail when the
 * server is down); elsewhere an unreachable server skips them visibly, with the reason in the name.
 */
export function describeWithServer(name: string, unreachable: string | undefined, body: () => void): void {
  if (unreachable === undefined || process.env.CI) describe(name, body);
  else describe.skip(`${name} (${unreachable})`, body);
}
