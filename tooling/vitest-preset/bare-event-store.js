// A view of a store with core's required EventStore methods and none of its optional ones
// (storageId, rewrites, hooks): what a wrapper sees over a store that lacks every capability.

const REQUIRED = ['append', 'readStream', 'readStreams', 'readAll', 'streamVersion', 'close'];

export function bareEventStore(store) {
  return Object.fromEntries(REQUIRED.map((method) => [method, store[method].bind(store)]));
}
