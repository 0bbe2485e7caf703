import { z } from 'zod';
import type { Store } from '@baton/store';
import { defineActivity } from '@baton/activity-sdk';

/** An order as the demo shop keeps it, in the `orders` collection of Baton's database. */
export interface OrderDocument {
  _id: string;
  customerId: string;
  status: 'processing' | 'shipped' | 'delivered' | 'cancelled';
  carrier: string | null;
  eta: Date | null;
  items: { sku: string; name: string; quantity: number }[];
}

const OrderItem = z.object({ sku: z.string(), name: z.string(), quantity: z.number().int().positive() });

/** `orders.lookup`: the status of an order, for "where is my order?" journeys. */
export const lookupOrder = defineActivity({
  name: 'orders.lookup',
  description: 'Looks up an order by its id: status, carrier, estimated delivery and items.',
  input: z.object({
    orderId: z
      .string()
      .trim()
      .min(1, 'an order id is needed')
      .max(100)
      .transform((id) => id.toUpperCase().replace(/^#/, '')),
  }),
  output: z.object({
    found: z.boolean(),
    orderId: z.string(),
    status: z.enum(['processing', 'shipped', 'delivered', 'cancelled']).nullable(),
    carrier: z.string().nullable(),
    /** ISO 8601 date of the expected delivery. */
    eta: z.string().nullable(),
    items: z.array(OrderItem),
  }),
  timeoutSeconds: 10,
  async run({ orderId }, ctx) {
    const order = await ctx.store.collection<OrderDocument>('orders').findOne({ _id: orderId });
    if (!order) return { found: false, orderId, status: null, carrier: null, eta: null, items: [] };
    return {
      found: true,
      orderId,
      status: order.status,
      carrier: order.carrier,
      eta: order.eta ? order.eta.toISOString().slice(0, 10) : null,
      items: order.items,
    };
  },
});

const day = 24 * 60 * 60 * 1000;

/** A few demo orders (idempotent: seeding twice leaves the same orders). Returns their ids. */
export async function seedDemoOrders(store: Store, now: Date = new Date()): Promise<string[]> {
  const orders: OrderDocument[] = [
    {
      _id: 'A1001',
      customerId: 'cus_1',
      status: 'shipped',
      carrier: 'DHL',
      eta: new Date(now.getTime() + 2 * day),
      items: [{ sku: 'KB-01', name: 'Mechanical keyboard', quantity: 1 }],
    },
    {
      _id: 'A1002',
      customerId: 'cus_1',
      status: 'processing',
      carrier: null,
      eta: new Date(now.getTime() + 5 * day),
      items: [{ sku: 'MS-02', name: 'Wireless mouse', quantity: 2 }],
    },
    {
      _id: 'A1003',
      customerId: 'cus_2',
      status: 'delivered',
      carrier: 'UPS',
      eta: new Date(now.getTime() - 1 * day),
      items: [
        { sku: 'HD-07', name: 'USB-C hub', quantity: 1 },
        { sku: 'CB-11', name: 'HDMI cable', quantity: 3 },
      ],
    },
    {
      _id: 'A1004',
      customerId: 'cus_3',
      status: 'cancelled',
      carrier: null,
      eta: null,
      items: [{ sku: 'MN-27', name: '27" monitor', quantity: 1 }],
    },
  ];
  const collection = store.collection<OrderDocument>('orders');
  for (const order of orders) await collection.replaceOne({ _id: order._id }, order, { upsert: true });
  return orders.map((order) => order._id);
}
