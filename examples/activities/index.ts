import type { ActivityDefinition } from '@baton/activity-sdk';
import { sendResetLink } from './accounts';
import { lookupOrder } from './orders';
import { refund } from './payments';

export { sendResetLink } from './accounts';
export { lookupOrder, seedDemoOrders, type OrderDocument } from './orders';
export { refund, type RefundDocument } from './payments';

/** The example custom activities, as a worker registers them (workers/worker/src/main.ts). */
export const exampleActivities: ActivityDefinition[] = [sendResetLink, lookupOrder, refund];

/** What a worker loads through BATON_ACTIVITY_MODULES. */
export const activities = exampleActivities;
