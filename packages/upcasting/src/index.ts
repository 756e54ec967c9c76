export type { Upcaster } from './upcaster.js';
export type { UpcasterChain, UpcastStep } from './upcaster-chain.js';
export { defineUpcasters } from './upcaster-chain.js';
export { UpcasterChainError } from './upcaster-chain-error.js';
export { withUpcasting } from './upcasting-event-store.js';
