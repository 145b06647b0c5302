// Redis-backed stores (challenges, bulk jobs) fail with one typed error while Redis is
// unreachable, so the API answers 503 store_unavailable rather than 500.
import { TypedError } from '../core/typed-error.js';

export class StoreError extends TypedError<'store_unavailable'> {
  override readonly name = 'StoreError';
}

/** The store refused a value the request carried (a NUL character in a text, say): the
 *  request's fault, answered 400 bad_request, never a 500. */
export class StoreInputError extends TypedError<'bad_request'> {
  override readonly name = 'StoreInputError';
}

/** Runs a store operation; any Redis failure becomes StoreError naming the store. */
export async function guarded<T>(store: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw new StoreError('store_unavailable', `${store} (Redis) unreachable: ${(err as Error).message}`);
  }
}
