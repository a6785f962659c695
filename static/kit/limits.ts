/** The limits the resolvers enforce, from their one home (plain numbers, so the bundles may import them). */
export { LIMITS } from '../../src/shared/limits';
