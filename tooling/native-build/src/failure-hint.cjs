'use strict';
// The one line a user reads when a native build fails, above node-gyp's own stack.

function failureHint({ packageName, nodeVersion, headers }) {
  const what = packageName ? `${packageName} could not be compiled` : 'a native module could not be compiled';
  const where = headers
    ? `node-gyp used the Node headers in ${headers.nodedir} (from ${headers.source})`
    : `no local Node ${nodeVersion} headers were found, so node-gyp had to download them`;
  return (
    `[strata] ${what}: ${where}. Install Python 3, make and a C++ compiler (Debian/Ubuntu: apt-get install python3 make g++), ` +
    `and either let node-gyp reach the Node download site or set npm_config_nodedir to a folder whose include/node holds the headers of Node ${nodeVersion}; then run pnpm install again.`
  );
}

module.exports = { failureHint };
