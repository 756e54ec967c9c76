'use strict';
// Finds a folder of Node headers that node-gyp can build against without downloading anything.
// npm honours its `nodedir` setting; pnpm 12 does not pass it to build scripts, so a machine that
// has the headers installed (and maybe no route to the download server) fails unless we look.
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { spawnSync } = require('node:child_process');

/** The `major.minor.patch` a headers folder was cut for, or undefined when it holds no usable headers. */
function headersVersion(nodedir) {
  const include = join(nodedir, 'include', 'node');
  // node-gyp reads common.gypi and config.gypi from here; node.h alone is not enough.
  if (!existsSync(join(include, 'node.h')) || !existsSync(join(include, 'common.gypi'))) return undefined;
  let header;
  try {
    header = readFileSync(join(include, 'node_version.h'), 'utf8');
  } catch {
    return undefined;
  }
  const part = (name) => header.match(new RegExp(`#define\\s+NODE_${name}_VERSION\\s+(\\d+)`))?.[1];
  const [major, minor, patch] = [part('MAJOR'), part('MINOR'), part('PATCH')];
  return major && minor && patch ? `${major}.${minor}.${patch}` : undefined;
}

/** npm's own `nodedir` setting (user, global and project npmrc, environment), as npm resolves it. */
function npmConfiguredNodedir(runNpm = defaultRunNpm) {
  const value = runNpm(['config', 'get', 'nodedir']);
  return value && value !== 'undefined' && value !== 'null' ? value : undefined;
}

function defaultRunNpm(args) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, args, {
    encoding: 'utf8',
    timeout: 15_000,
    shell: process.platform === 'win32',
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * Where to build against, in npm's order of precedence: an explicit `npm_config_nodedir`, npm's
 * configured `nodedir`, then the headers installed beside the running Node (distribution packages
 * and version managers put them there). A candidate counts only when its headers match the running
 * Node's version exactly. Undefined means: let node-gyp download them as usual.
 */
function findNodeHeaders({
  env = process.env,
  execPath = process.execPath,
  version = process.versions.node,
  runNpm,
} = {}) {
  const explicit = env.npm_config_nodedir || env.NPM_CONFIG_NODEDIR;
  if (explicit) return { nodedir: explicit, source: 'npm_config_nodedir' };
  const candidates = [
    ['npm config nodedir', () => npmConfiguredNodedir(runNpm)],
    ['the headers beside node', () => dirname(dirname(execPath))],
  ];
  for (const [source, locate] of candidates) {
    const nodedir = locate();
    if (nodedir && headersVersion(nodedir) === version) return { nodedir, source };
  }
  return undefined;
}

module.exports = { findNodeHeaders, headersVersion };
