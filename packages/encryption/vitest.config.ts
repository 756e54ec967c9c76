import { strataVitestConfig } from '@strata/vitest-preset';

export default strataVitestConfig();
