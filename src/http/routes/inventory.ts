/**
 * The inventory routes of orchestrator's compatibility API (`/api/...`): instances, clusters,
 * topology drawings, discovery requests, downtime, maintenance, promotion rules, tags,
 * aliases, problems and audit, with orchestrator's paths, JSON shapes and status codes. The
 * routes live in the `inventory-*.ts` files by concept; this module wires them together.
 *
 * The service's composition root calls `registerInventoryRoutes` and `registerV2InventoryRoutes`
 * (v2-inventory.ts) once each, from the registrars it hands to `buildApp`.
 */
import type { OrcApp } from '../types.js';
import { registerCompatActions } from './inventory-actions.js';
import { InventoryChanges } from './inventory-changes.js';
import type { InventoryContext } from './inventory-compat.js';
import type { InventoryDeps } from './inventory-deps.js';
import { registerCompatLists } from './inventory-lists.js';
import { registerCompatReads } from './inventory-reads.js';
import { InventoryStore } from './inventory-store.js';
import { registerCompatTags } from './inventory-tags.js';

export type { DiscoveryControl, InventoryDeps } from './inventory-deps.js';

/** The store and change set over `deps`, shared by a family's routes. */
export function inventoryContext(deps: InventoryDeps): InventoryContext {
  const store = new InventoryStore(deps);
  return { deps, store, changes: new InventoryChanges(deps, store) };
}

/**
 * Registers orchestrator's inventory paths under `/api` on the (prefixed) scope. Reads declare
 * `mutates: false`; changes `mutates: true`, so the auth hook refuses them under ReadOnly, for
 * read-only callers and on a non-leader with orchestrator's 500 `Unauthorized`.
 */
export function registerInventoryRoutes(app: OrcApp, deps: InventoryDeps): void {
  const ctx = inventoryContext(deps);
  registerCompatReads(app, ctx);
  registerCompatLists(app, ctx);
  registerCompatActions(app, ctx);
  registerCompatTags(app, ctx);
}
