import { describeEventStore } from '@strata/conformance';
import { memoryKitTarget } from '@strata/store-memory/testing';
import { withUpcasting } from '../src/index.js';
import { conformanceChain } from './conformance-chain.js';

// The wrapper is an EventStore like any adapter, so it runs the whole kit over the reference store.
describeEventStore(
  'withUpcasting over MemoryEventStore',
  memoryKitTarget({ wrap: (store) => withUpcasting(store, conformanceChain) }),
);
