/**
 * Runs the first ```ts block of `packageDir`'s README (or the first that contains `containing`)
 * against the built package; returns what it printed.
 */
export declare function runReadmeExample(packageDir: string, containing?: string): string;
