// What every route module gets from the app builder.

import type { Store } from '../contract.js';
import type { AuthHook } from '../auth.js';
import type { Metrics } from '../metrics.js';

export interface RouteContext {
  store: Store;
  metrics: Metrics;
  now: () => Date;
  staleAfterIntervals: number;
  metricsPublic: boolean;
  auth: {
    /** viewer or admin */
    read: AuthHook;
    /** agent tokens only */
    agent: AuthHook;
    admin: AuthHook;
  };
}
