export type { ErrorExpectation, ExpectedEvent, GivenEvent, Outcome, Scenario } from './scenario.js';
export { given } from './scenario.js';
