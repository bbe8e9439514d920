/** The sample's world: customers with their credit and card, and the goods in stock. */
export interface Customer {
  readonly id: string;
  readonly name: string;
  /** Store credit, used before the card is charged. */
  readonly credit: number;
  /** How the card behaves: charged; fails a few times then works (transient); declined until updated. */
  readonly card: 'ok' | 'flaky' | 'declined';
}

export const CUSTOMERS: readonly Customer[] = [
  { id: 'alice', name: 'Alice (card works)', credit: 20, card: 'ok' },
  { id: 'carol', name: 'Carol (card fails twice, then works)', credit: 0, card: 'flaky' },
  { id: 'bob', name: 'Bob (card declined until he updates it)', credit: 10, card: 'declined' },
];

export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly price: number;
  readonly stock: number;
  /** Bulky goods take the carrier longer (and may break the tracking SLA). */
  readonly bulky?: boolean;
}

export const PRODUCTS: readonly Product[] = [
  { sku: 'baton', name: 'Conductor baton', price: 25, stock: 50 },
  { sku: 'stand', name: 'Music stand', price: 60, stock: 10 },
  { sku: 'piano', name: 'Grand piano', price: 900, stock: 2, bulky: true },
];

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
}

export function priceOf(items: readonly OrderLine[]): number {
  return items.reduce(
    (sum, line) => sum + (PRODUCTS.find((p) => p.sku === line.sku)?.price ?? 0) * line.quantity,
    0,
  );
}
