import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { answersPing } from './redis-probe.js';

/**
 * Starts `redis-server` on a loopback `port`, keeping nothing on disk, and resolves once it answers
 * PING. A server that exits first (a taken port, a bad option) fails at once with the end of its
 * log, rather than after the whole wait.
 */
export async function startRedisServer(
  port: number,
  extraArgs: readonly string[] = [],
  timeoutMs = 10_000,
): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const keepTail = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-1_000);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  let failure: Error | undefined;
  child.once('error', (error) => {
    failure = new Error(`could not run redis-server (is it on PATH?)`, { cause: error });
  });
  child.once('exit', (code, signal) => {
    failure ??= new Error(
      `redis-server on port ${port} exited before it answered (${signal ?? `code ${code}`}):\n${log}`,
    );
  });

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (failure !== undefined) throw failure;
    if (await answersPing(port)) return child;
    if (Date.now() > deadline) {
      await killRedisServer(child);
      throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms:\n${log}`);
    }
    await sleep(50);
  }
}

/** Kills the server at once (SIGKILL: no goodbye to clients) and waits until it is gone. */
export async function killRedisServer(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}
