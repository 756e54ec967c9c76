/** Loads the built package by name through its exports map (import and require) and checks the names it exposes. */
export declare function describePackageExports(
  packageDir: string,
  expectedNamesBySubpath: Record<string, string[]>,
): void;
