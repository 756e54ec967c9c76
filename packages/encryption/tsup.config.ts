import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // esbuild renames classes that refer to themselves (`class _IntegrityError`), and Node prints
  // an error with its class's name: keep the source names.
  keepNames: true,
});
