import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** One test of the kit as vitest's JSON reporter gives it. */
export interface KitTestResult {
  /** `[adapter name, topic, ...]`. */
  ancestorTitles: string[];
  title: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  failureMessages: string[];
}

export interface KitFileResult {
  status: string;
  message: string;
  tests: KitTestResult[];
}

/**
 * Runs every test/fixtures/*.fixture.ts in a child vitest with the JSON reporter and returns the
 * results by fixture name (`late-commit` for `late-commit.fixture.ts`). A separate process keeps
 * the kit's deliberate failures out of this run's own results.
 */
export async function runKitFixtures(): Promise<Map<string, KitFileResult>> {
  const outDir = await mkdtemp(join(tmpdir(), 'strata-conformance-'));
  const outputFile = join(outDir, 'results.json');
  try {
    const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
    const args = [
      vitest,
      'run',
      '--config',
      'test/fixtures/vitest.config.ts',
      '--reporter=json',
      `--outputFile=${outputFile}`,
    ];
    // The child must not think it is a worker of this run, nor write its deliberate failures into
    // the CI test report (STRATA_TEST_REPORT_DIR), whose reporter would also replace ours.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !key.startsWith('VITEST') && key !== 'STRATA_TEST_REPORT_DIR',
      ),
    );
    // Failing tests make vitest exit 1: expected here, the JSON tells what happened.
    await promisify(execFile)(process.execPath, args, {
      cwd: packageDir,
      env,
      maxBuffer: 64 * 1024 * 1024,
    }).catch(() => undefined);
    const report = JSON.parse(await readFile(outputFile, 'utf8')) as {
      testResults: { name: string; status: string; message: string; assertionResults: KitTestResult[] }[];
    };
    return new Map(
      report.testResults.map((file) => [
        basename(file.name, '.fixture.ts'),
        { status: file.status, message: file.message, tests: file.assertionResults },
      ]),
    );
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
