type RequiredMethod = 'append' | 'readStream' | 'readStreams' | 'readAll' | 'streamVersion' | 'close';

/** `store`'s required EventStore methods (bound to it), and none of its optional capabilities. */
export declare function bareEventStore<S extends Record<RequiredMethod, (...args: never[]) => unknown>>(
  store: S,
): Pick<S, RequiredMethod>;
