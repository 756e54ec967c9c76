/** What the round trip opens: a store of the package, and how to remove what it created. */
export interface RoundTripStore {
  store: {
    append(streamId: string, events: unknown[], options?: unknown): Promise<unknown>;
    readStream(streamId: string): Promise<unknown[]>;
    close(): Promise<void>;
  };
  drop?: () => Promise<void>;
}

/** How the child process loads modules, from the package's folder. Modules come untyped. */
export interface ModuleLoader {
  // biome-ignore lint/suspicious/noExplicitAny: whatever module the specifier names
  import(specifier: string): Promise<any>;
  // biome-ignore lint/suspicious/noExplicitAny: whatever module the specifier names
  require(specifier: string): any;
}

export interface PackageExportsOptions {
  /**
   * The error classes each subpath exports, by name. The check fails if a subpath exports another
   * Error subclass, so a new class cannot go unchecked. Defaults to none.
   */
  errorClasses?: Record<string, string[]>;
  /**
   * The module systems to check, when the exports map offers one that cannot work (say a `require`
   * entry for a package whose dependencies are ESM-only). Defaults to what the map offers.
   */
  systems?: ('import' | 'require')[];
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
