import { randomBytes } from 'node:crypto';

/**
 * Names for the objects a bench process creates on a shared server (schemas, table prefixes). A
 * random tag per process keeps them apart from everything else on the server, other bench
 * processes included, so cleanup drops only what this process made.
 */
export class BenchObjectNames {
  readonly tag = randomBytes(4).toString('hex');
  private count = 0;

  /** `prefix` starts every name, e.g. `strata_bench_`. */
  constructor(private readonly prefix: string) {}

  /** A name never handed out before in this process, e.g. `strata_bench_1a2b3c4d_run7`. */
  next(kind: string): string {
    this.count += 1;
    return `${this.prefix}${this.tag}_${kind}${this.count}`;
  }
}
