// The child side of projection-lease-race: a runner process reports its state changes to the test
// that forked it and, when told to stop, stops gracefully, closes its connections and exits.
export function serveRunnerToParent(runner, close) {
  runner.start();
  let reported = '';
  const reporter = setInterval(() => {
    const { state, leaseFence } = runner.status();
    const now = `${state}:${leaseFence ?? ''}`;
    if (now === reported) return;
    reported = now;
    process.send?.({ state, fence: leaseFence?.toString() });
  }, 20);
  process.on('message', async (message) => {
    if (message !== 'stop') return;
    clearInterval(reporter);
    await runner.stop();
    await close();
    process.send?.({ state: 'exited' }, () => process.exit(0));
  });
}
