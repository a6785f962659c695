/**
 * The resolver contract as the apps use it: its types only (`import type`), so the zod schemas it
 * holds never reach a bundle; the function key is the name itself.
 */
import type { PayloadOf, ResolverKey, SuccessOf } from '../../src/shared/resolver-api';
import { callResolver } from './bridge';

export type * from '../../src/shared/resolver-api';

export { LIMITS } from './limits';

/** A typed call: the payload and the answer are the contract's for that function. */
export function call<K extends ResolverKey>(key: K, payload: PayloadOf<K>): Promise<SuccessOf<K>> {
  return callResolver<SuccessOf<K>>(key, payload);
}
