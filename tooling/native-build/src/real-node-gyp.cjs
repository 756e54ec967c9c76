'use strict';
// Finds the node-gyp the package manager would have run if this wrapper were not first on PATH.
const { existsSync } = require('node:fs');
const { delimiter, dirname, join } = require('node:path');

const SCRIPT_NAMES = process.platform === 'win32' ? ['node-gyp.cmd', 'node-gyp.exe'] : ['node-gyp'];

/** A command to spawn: `[file, ...leadingArgs]`, or undefined when no node-gyp exists on this machine. */
function findRealNodeGyp({ env = process.env, execPath = process.execPath, self } = {}) {
  // npm exports the node-gyp it bundles; pnpm puts a node-gyp-bin folder of its own on PATH.
  if (env.npm_config_node_gyp && env.npm_config_node_gyp !== self) {
    return [execPath, env.npm_config_node_gyp];
  }
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  const managerShims = dirs.filter((dir) => dir.endsWith('node-gyp-bin'));
  // Skip every node_modules/.bin: that is where this wrapper itself is linked.
  const others = dirs.filter((dir) => !dir.endsWith('node-gyp-bin') && !/node_modules[\\/]\.bin$/.test(dir));
  for (const dir of [...managerShims, ...others]) {
    for (const name of SCRIPT_NAMES) {
      const file = join(dir, name);
      if (existsSync(file)) return [file];
    }
  }
  const bundledWithNpm = join(
    dirname(dirname(execPath)),
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
  return existsSync(bundledWithNpm) ? [execPath, bundledWithNpm] : undefined;
}

module.exports = { findRealNodeGyp };
