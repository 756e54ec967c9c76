import { defineUpcasters } from '../src/index.js';

/** A chain with a rename and two steps, over types the kit never writes: its own events pass through. */
export const conformanceChain = defineUpcasters({ 'user.registered': 3, 'user.renamed': 1 }, [
  { type: 'UserCreated', fromVersion: 1, toType: 'user.registered', toVersion: 1 },
  { type: 'user.registered', fromVersion: 1, upcast: (data: object) => ({ ...data, v2: true }) },
  { type: 'user.registered', fromVersion: 2, upcast: (data: object) => ({ ...data, v3: true }) },
]);
