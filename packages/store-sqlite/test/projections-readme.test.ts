import { fileURLToPath } from 'node:url';
import { runReadmeExample } from '@strata/vitest-preset/readme-example';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const projectionsReadme = fileURLToPath(new URL('../../projections/README.md', import.meta.url));

// The projections README's SQLite example needs this package, which @strata/projections cannot
// depend on (this package's tests depend on it): it runs here, against both built packages.
it("the projections README's realtime example on SQLite runs and prints what it says", () => {
  const output = runReadmeExample(packageDir, 'attachRealtimeProjector(', projectionsReadme);
  expect(output.trim()).toBe('2050 live');
});
