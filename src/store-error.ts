// Redis-backed stores (challenges, bulk jobs) fail with one typed error while Redis is
// unreachable, so the API answers 503 store_unavailable rather than 500.
import { TypedError } from './core/typed-error.js';

export class StoreError extends TypedError<'store_unavailable'> {
  override readonly name = 'StoreError';
}

/** Runs a store operation; any Redis failure becomes StoreError naming the store. */
export async function guarded<T>(store: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw new StoreError('store_unavailable', `${store} (Redis) unreachable: ${(err as Error).message}`);
  }
}
