// Runs a projection runner's child process and kills it with SIGKILL at a chosen point: the one
// mechanism behind the crash scenarios (exactly once, at-least-once cadence), written once.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll } from 'vitest';

/** Liveness bounds for a loaded 2-core machine; nothing here measures speed. */
const LIVENESS_MS = 30_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Returns `runChild(run, killAt)`: forks `childScript` with `childArgs({ ...runnerArgs, progressFile })`
 * and resolves with its exit code; with `killAt`, kills it once its handler has written that position
 * to its progress file. Call it while a describe block is being collected (it registers cleanup).
 */
export function killableRunnerChild({ childScript, childArgs, runnerArgs, prefix }) {
  // tsx comes from the engine's package, beside its child script.
  const tsx = pathToFileURL(createRequire(childScript).resolve('tsx')).href;
  const progressDir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(progressDir, { recursive: true, force: true }));

  return async function runChild(run, killAt) {
    const progressFile = join(progressDir, `progress-${run}`);
    const child = fork(childScript, childArgs({ ...runnerArgs, progressFile }), {
      execArgv: ['--import', tsx],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    if (killAt !== undefined) {
      const deadline = Date.now() + LIVENESS_MS;
      const applied = () =>
        existsSync(progressFile) && readFileSync(progressFile, 'utf8').split('\n').includes(String(killAt));
      while (!applied()) {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`the runner process never applied position ${killAt}`);
        }
        await sleep(2);
      }
      child.kill('SIGKILL');
    }
    return exited;
  };
}
