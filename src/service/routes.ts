/**
 * The route registrars the service hands to the HTTP app, in order: the one place where a
 * domain's routes are plugged in (inventory now; operations and recovery later).
 */
import type { Discovery } from '../discovery/index.js';
import type { DiscoveryControl, InventoryDeps } from '../http/routes/inventory.js';
import { registerInventoryRoutes } from '../http/routes/inventory.js';
import { registerV2InventoryRoutes } from '../http/routes/v2-inventory.js';
import { registerUiPlaceholder } from '../http/routes/ui-placeholder.js';
import type { ServiceContext, ServiceRouteRegistrar } from './context.js';

/** Discovery as the inventory routes drive it. */
function discoveryControl(discovery: Discovery): DiscoveryControl {
  return {
    discover: (key) => discovery.discover(key),
    asyncDiscover: (key) => discovery.asyncDiscover(key),
    refresh: (key) => discovery.refresh(key),
    forget: async (key) => {
      await discovery.forget(key);
    },
    resolveAlias: (key) => discovery.resolveAlias(key),
  };
}

function inventoryDeps(context: ServiceContext): InventoryDeps {
  return {
    backend: context.backend,
    discovery: discoveryControl(context.discovery),
    config: context.config,
    clock: context.clock,
    nodeName: context.node.hostname,
  };
}

export const serviceRoutes: readonly ServiceRouteRegistrar[] = [
  (app, context) => registerInventoryRoutes(app, inventoryDeps(context)),
  (app, context) => registerV2InventoryRoutes(app, inventoryDeps(context)),
  (app) => registerUiPlaceholder(app),
];
