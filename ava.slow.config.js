/** ava's configuration for the slow tests, `npm run test:slow`: the default suite's settings, other files. */
import suite, { SLOW_TESTS } from './ava.config.js';

export default {
  ...suite,
  files: SLOW_TESTS,
  // A full training reports nothing for minutes; only a hang should reach this.
  timeout: '60m',
};
