import { AggregateRoot, type EventHandlers, EventRegistry, type NewEvent } from '@strata/core';

/** The stream type, and the prefix of every stream id: `inventory-<id>`. */
export const INVENTORY_STREAM_TYPE = 'inventory';

/** The version of `InventoryState`'s shape. */
export const INVENTORY_STATE_VERSION = 1;

/** How many SKUs the movements cycle over: the size of the state's stock map. */
const SKU_COUNT = 64;

export interface StockMoved {
  sku: string;
  warehouse: string;
  quantity: number;
  unitPriceCents: number;
  reason: string;
  reference: string;
}

export type InventoryEvent = { type: 'bench.stock-moved'; data: StockMoved };

/** A few fields, a Date and a map of 64 entries: about 1.1 KiB as JSON, so it is gzipped (the default from 1 KiB). */
export interface InventoryState {
  warehouse: string;
  movements: number;
  units: number;
  valueCents: number;
  lastReference: string;
  lastMovedAt: Date | undefined;
  stock: Record<string, number>;
}

/**
 * A warehouse's stock ledger: one event per stock movement, for years. Replaying it is cheap per
 * event (a few additions), so what a snapshot saves is mostly reading and decoding events.
 */
export class BenchInventory extends AggregateRoot<InventoryEvent> {
  private state: InventoryState = blankState();

  protected readonly handlers: EventHandlers<InventoryEvent> = {
    'bench.stock-moved': (moved, { occurredAt }) => {
      const s = this.state;
      s.warehouse = moved.warehouse;
      s.movements++;
      s.units += moved.quantity;
      s.valueCents += moved.quantity * moved.unitPriceCents;
      s.lastReference = moved.reference;
      s.lastMovedAt = occurredAt;
      s.stock[moved.sku] = (s.stock[moved.sku] ?? 0) + moved.quantity;
    },
  };

  move(n: number): void {
    this.record('bench.stock-moved', stockMoved(n), { source: 'strata-bench', correlationId: `c-${n}` });
  }

  /** A copy, for comparing two loads of the same stream. */
  get current(): InventoryState {
    return structuredClone(this.state);
  }

  protected override snapshotState(): InventoryState {
    return structuredClone(this.state);
  }

  protected override restoreState(state: unknown): void {
    this.state = structuredClone(state as InventoryState);
  }
}

function blankState(): InventoryState {
  return {
    warehouse: '',
    movements: 0,
    units: 0,
    valueCents: 0,
    lastReference: '',
    lastMovedAt: undefined,
    stock: {},
  };
}

/** The `n`th movement: about 200 bytes of JSON with its metadata. */
export function stockMoved(n: number): StockMoved {
  return {
    sku: `sku-${String(n % SKU_COUNT).padStart(5, '0')}`,
    warehouse: 'wh-berlin-02',
    quantity: (n % 11) - 4,
    unitPriceCents: 1_299 + (n % 50),
    reason: n % 3 === 0 ? 'customer-return' : 'replenishment',
    reference: `po-2026-${String(n).padStart(8, '0')}`,
  };
}

/** The registry the bench's repositories and snapshotters share. */
export function inventoryRegistry(): EventRegistry {
  return new EventRegistry().register('bench.stock-moved');
}

/** Events `first..first+count-1` as the repository would save them: serialized by the registry. */
export function inventoryEvents(registry: EventRegistry, first: number, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) =>
    registry.serialize({
      type: 'bench.stock-moved',
      data: stockMoved(first + i),
      metadata: { source: 'strata-bench', correlationId: `c-${first + i}` },
      occurredAt: new Date(Date.UTC(2026, 0, 1) + (first + i) * 60_000),
    }),
  );
}
