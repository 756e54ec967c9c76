/**
 * Runs the first ```ts block of `packageDir`'s README (or the first that contains `containing`)
 * against the built package; returns what it printed. `readmePath` reads another package's README
 * (one whose example needs `packageDir`'s package, which that package cannot depend on).
 */
export declare function runReadmeExample(
  packageDir: string,
  containing?: string,
  readmePath?: string,
): string;
