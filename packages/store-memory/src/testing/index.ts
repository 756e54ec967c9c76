export type { MemoryKitTarget, MemoryKitTargetOptions } from './memory-kit-target.js';
export { memoryKitTarget } from './memory-kit-target.js';
