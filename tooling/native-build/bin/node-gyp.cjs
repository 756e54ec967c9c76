#!/usr/bin/env node
'use strict';
// Linked as `node-gyp` into the workspace's node_modules/.bin, which pnpm puts on PATH before its
// own node-gyp when it runs better-sqlite3's install script. It points node-gyp at headers the
// machine already has (pnpm 12 ignores npm's `nodedir`), then runs the real node-gyp unchanged.
const { spawnSync } = require('node:child_process');
const { findNodeHeaders } = require('../src/node-headers.cjs');
const { findRealNodeGyp } = require('../src/real-node-gyp.cjs');
const { failureHint } = require('../src/failure-hint.cjs');

const GUARD = 'STRATA_NODE_GYP_WRAPPER';
const packageName = process.env.npm_package_name;

if (process.env[GUARD]) {
  console.error(
    '[strata] node-gyp wrapper found itself instead of node-gyp: install node-gyp (npm install -g node-gyp) and run pnpm install again.',
  );
  process.exit(1);
}
const real = findRealNodeGyp({ self: __filename });
if (!real) {
  console.error(
    '[strata] node-gyp was not found: install it (npm install -g node-gyp) and run pnpm install again.',
  );
  process.exit(1);
}
const headers = findNodeHeaders();
const env = { ...process.env, [GUARD]: '1' };
if (headers) env.npm_config_nodedir = headers.nodedir;

const [file, ...lead] = real;
const result = spawnSync(file, [...lead, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
  shell: process.platform === 'win32',
});
if (result.status !== 0) {
  console.error(failureHint({ packageName, nodeVersion: process.versions.node, headers }));
}
process.exit(result.status ?? 1);
