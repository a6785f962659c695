/**
 * The resolver contract at run time: a surface's resolver is built from exactly the handlers the
 * contract gives it, or not at all. (What the compiler refuses is in contract.types.ts.)
 */
import { defineSurface, type Handlers } from '../../src/resolvers/define';
import type { FunctionOf } from '../../src/shared/resolver-api';

const acknowledged = async () => ({ acknowledged: 0 });
const nudges = async () => {
  throw new Error('not called here');
};

describe('defineSurface', () => {
  it('builds a surface from one handler per function the contract gives it', () => {
    expect(typeof defineSurface('issuePanel', { getWorkItemNudges: nudges, acknowledge: acknowledged })).toBe('function');
  });

  it('refuses a surface missing a handler, or with a handler for a function of another surface, naming each', () => {
    // What plain JavaScript, or a spread the compiler cannot see through, could hand it.
    const handlers = { getWorkItemNudges: nudges, exportCsv: acknowledged } as unknown as Handlers<FunctionOf<'issuePanel'>>;
    expect(() => defineSurface('issuePanel', handlers)).toThrow('the issuePanel resolver does not match the contract: no handler for acknowledge; exportCsv is not one of its functions');
  });
});
