/** Runs the first ```ts block of `packageDir`'s README against the built package; returns what it printed. */
export declare function runReadmeExample(packageDir: string): string;
