import type { ViteUserConfig } from 'vitest/config';

export declare function strataVitestConfig(overrides?: ViteUserConfig): ViteUserConfig;
