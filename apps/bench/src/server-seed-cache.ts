import type { SeedPlan } from './bench-target.js';

/** Objects on a server (a schema, or tables under one prefix) holding one seeded plan. */
export interface SeededObjects {
  /** What the target opens its store and raw side on: a schema name or a table prefix. */
  name: string;
  drop(): Promise<void>;
}

/**
 * For server databases: seeds each distinct plan once into its own objects and hands their name
 * to every run of a workload with that plan. Only read workloads seed, and reads change nothing, so
 * sharing the seeded tables measures what a fresh copy would, without a 200,000-row load per run.
 */
export class ServerSeedCache {
  private readonly seeded = new Map<string, Promise<SeededObjects>>();

  constructor(private readonly build: (plan: SeedPlan) => Promise<SeededObjects>) {}

  async nameFor(plan: SeedPlan): Promise<string> {
    const key = JSON.stringify(plan);
    let objects = this.seeded.get(key);
    if (objects === undefined) {
      const building = this.build(plan);
      objects = building;
      this.seeded.set(key, building);
      // A failed seeding has cleaned up after itself: forget it, so the next run tries again.
      building.catch(() => {
        if (this.seeded.get(key) === building) this.seeded.delete(key);
      });
    }
    return (await objects).name;
  }

  /** Drops every seeded copy; one whose seeding failed has already cleaned up after itself. */
  async clear(): Promise<void> {
    const all = [...this.seeded.values()];
    this.seeded.clear();
    const settled = await Promise.allSettled(all);
    for (const result of settled) if (result.status === 'fulfilled') await result.value.drop();
  }
}
