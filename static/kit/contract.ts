/**
 * The resolver contract as the apps use it: function keys and answer types from
 * src/shared/resolver-api.ts (which has no runtime import, so nothing of zod reaches a bundle).
 */
import { RESOLVER_KEYS, type PayloadOf, type ResolverKey, type SuccessOf } from '../../src/shared/resolver-api';
import { callResolver } from './bridge';

export type * from '../../src/shared/resolver-api';

export { LIMITS } from './limits';

/** A typed call: the payload and the answer are the contract's for that function. */
export function call<K extends ResolverKey>(key: K, payload: PayloadOf<K>): Promise<SuccessOf<K>> {
  return callResolver<SuccessOf<K>>(RESOLVER_KEYS[key], payload as Record<string, unknown>);
}
