// STUB (being replaced by the pricing module): the signature the recorder uses.
import type { CallInput } from '../../shared/callRecord';
import type { Nanos } from '../../shared/money';

export type PricingInput = Pick<CallInput, 'model' | 'tokens' | 'ts' | 'webSearchRequests' | 'speed' | 'inferenceGeo'>;

export interface Pricer {
  /** Price-table version plus a hash of the valid user overrides; stored with each call. */
  readonly version: string;
  /** Exact cost in nano-dollars, or null when the model is unknown (unpriced). */
  price(call: PricingInput): Nanos | null;
  knows(model: string): boolean;
}

export function createPricer(_overrides: unknown): { pricer: Pricer; problems: string[] } {
  return { pricer: { version: 'stub', price: () => null, knows: () => false }, problems: [] };
}
