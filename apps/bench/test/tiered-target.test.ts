import { expect, it } from 'vitest';
import { BenchObjectNames } from '../src/bench-object-names.js';
import { MYSQL_URL, mysqlTarget, probeMysql } from '../src/targets/mysql-target.js';
import { tieredTarget } from '../src/targets/tiered-target.js';
import { openBenchHotTier, probeRedis, REDIS_URL } from '../src/tiered/redis-bench-hot-tier.js';
import { leftovers } from './support/bench-leftovers.js';
import { expectEveryWorkloadRuns } from './support/every-workload.js';
import { describeWithServer } from './support/server-gate.js';

const unreachable = (await probeMysql(MYSQL_URL)) ?? (await probeRedis(REDIS_URL));

describeWithServer('the tiered throughput target', unreachable, () => {
  it('runs every workload tiered and on the warm store alone, and leaves no table or hot key behind', async () => {
    const names = new BenchObjectNames('strata_bench_');
    const hotPrefixes: string[] = [];
    const target = tieredTarget(mysqlTarget(MYSQL_URL, names), () => {
      const hot = openBenchHotTier(REDIS_URL);
      hotPrefixes.push(hot.keyPrefix);
      return hot;
    });
    expect(target.goals).toEqual({ W1: 0.9, W2: 0.9, W3: 0.9 });
    try {
      await expectEveryWorkloadRuns(target);
    } finally {
      await target.dispose?.();
    }
    // One hot tier per tiered run (W1-W5), each deleted with its run; the warm tables too.
    expect(hotPrefixes).toHaveLength(5);
    for (const name of hotPrefixes) expect(await leftovers({ kind: 'redis key prefix', name })).toBe(0);
    expect(await leftovers({ kind: 'mysql table prefix', name: `strata_bench_${names.tag}_` })).toBe(0);
  });
});
