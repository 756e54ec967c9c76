/** What the round trip opens: a store of the package, and how to remove what it created. */
export interface RoundTripStore {
  store: {
    append(streamId: string, events: unknown[], options?: unknown): Promise<unknown>;
    readStream(streamId: string): Promise<unknown[]>;
    close(): Promise<void>;
  };
  drop?: () => Promise<void>;
}

/** How the child process loads modules, from the package's folder. */
export interface ModuleLoader {
  import(specifier: string): Promise<Record<string, unknown>>;
  require(specifier: string): Record<string, unknown>;
}

export interface PackageExportsOptions {
  /**
   * The error classes each subpath exports, by name. The check fails if a subpath exports another
   * Error subclass, so a new class cannot go unchecked. Defaults to none.
   */
  errorClasses?: Record<string, string[]>;
  /**
   * A store to append to and read from through the built package, once per module system.
   * `open` runs in a child process from its source text: it must not use anything from its
   * surroundings, only its arguments (the loaded package and a loader) and globals.
   */
  roundTrip?: {
    label: string;
    // biome-ignore lint/suspicious/noExplicitAny: the package's own module, typed by its test
    open: (pkg: any, load: ModuleLoader) => Promise<RoundTripStore>;
  };
}

/**
 * Loads the built package by name through its exports map (import and require, as the map offers
 * them) and checks what users see there: the names it exposes, its error classes' names and
 * codes, `isInstance` across the two module systems' copies, and a round trip through a store.
 */
export declare function describePackageExports(
  packageDir: string,
  expectedNamesBySubpath: Record<string, string[]>,
  options?: PackageExportsOptions,
): void;
