/**
 * src/parser/chevrotain.ts in the browser bundle: there the package itself is bundled (the
 * Node module finds chevrotain's single-file build on disk with a top-level await).
 */
import * as chevrotainModule from 'chevrotain';

export const chevrotain: typeof import('chevrotain') = chevrotainModule;
