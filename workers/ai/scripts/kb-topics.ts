/**
 * What the Bitext-built knowledge base shares between workers/ai/scripts/seed-kb.ts (the shipped
 * articles) and workers/ai/scripts/eval-kb-retrieval.ts (the retrieval measure): each intent's title
 * and tags, the placeholder fills, and the choice of the most typical response.
 */
import { kbTerm } from '../src/kb';

/** Title and search tags of each intent's articles. */
export const topics: Record<string, { title: string; tags: string[] }> = {
  cancel_order: { title: 'Cancel an order', tags: ['order', 'cancel', 'purchase'] },
  change_order: { title: 'Change an order (add or remove items)', tags: ['order', 'modify', 'items'] },
  change_shipping_address: {
    title: 'Change the shipping address of an order',
    tags: ['shipping', 'address', 'delivery'],
  },
  check_cancellation_fee: {
    title: 'Cancellation and early termination fees',
    tags: ['cancellation', 'fee', 'termination'],
  },
  check_invoice: { title: 'Find and check an invoice', tags: ['invoice', 'bill', 'billing'] },
  check_payment_methods: { title: 'Payment methods we accept', tags: ['payment', 'methods', 'card', 'paypal'] },
  check_refund_policy: { title: 'Refund policy', tags: ['refund', 'policy', 'money back', 'return'] },
  complaint: { title: 'Make a complaint', tags: ['complaint', 'unhappy', 'escalate', 'feedback'] },
  contact_customer_service: {
    title: 'Contact customer service',
    tags: ['contact', 'support', 'phone', 'email', 'hours'],
  },
  contact_human_agent: { title: 'Talk to a human agent', tags: ['human', 'agent', 'person', 'representative'] },
  create_account: { title: 'Create an account', tags: ['account', 'sign up', 'register', 'new'] },
  delete_account: { title: 'Delete or close your account', tags: ['account', 'delete', 'close', 'remove'] },
  delivery_options: { title: 'Delivery options', tags: ['delivery', 'shipping', 'options', 'express'] },
  delivery_period: { title: 'When will my order arrive?', tags: ['delivery', 'arrive', 'time', 'eta'] },
  edit_account: { title: 'Edit your account details', tags: ['account', 'edit', 'profile', 'update'] },
  get_invoice: { title: 'Download an invoice', tags: ['invoice', 'download', 'receipt', 'bill'] },
  get_refund: { title: 'Request a refund', tags: ['refund', 'money back', 'reimbursement'] },
  newsletter_subscription: {
    title: 'Subscribe to or leave the newsletter',
    tags: ['newsletter', 'subscribe', 'unsubscribe', 'email'],
  },
  payment_issue: { title: 'Problems with a payment', tags: ['payment', 'declined', 'charge', 'card', 'failed'] },
  place_order: { title: 'Place an order', tags: ['order', 'buy', 'purchase', 'checkout'] },
  recover_password: {
    title: 'Reset or recover your password',
    tags: ['password', 'reset', 'forgot', 'login', 'locked out', 'sign in', 'reset link'],
  },
  registration_problems: { title: 'Problems signing up', tags: ['registration', 'sign up', 'error', 'account'] },
  review: { title: 'Leave a review or feedback', tags: ['review', 'feedback', 'rating'] },
  set_up_shipping_address: { title: 'Set up a shipping address', tags: ['shipping', 'address', 'new address'] },
  switch_account: { title: 'Switch between accounts or plans', tags: ['account', 'switch', 'plan', 'upgrade'] },
  track_order: { title: 'Track an order', tags: ['order', 'track', 'status', 'where is my order'] },
  track_refund: { title: 'Track a refund', tags: ['refund', 'track', 'status'] },
};

/** Neutral wording for the dataset's placeholders; any other `{{Name}}` becomes "Name" (a page or button name). */
export const fills: Record<string, string> = {
  'Customer Support Phone Number': 'our support phone line',
  'Customer Service Phone Number': 'our support phone line',
  'Support Phone Number': 'our support phone line',
  'Phone Number': 'our support phone line',
  'Live Chat': 'live chat',
  'Website Name': 'our website',
  'Website URL': 'our website',
  website: 'our website',
  Website: 'our website',
  'Website or App': 'our website or app',
  'Company Name': 'our company',
  'Customer Support Availability': 'during our support hours',
  'Customer Support Hours': 'our support hours',
  'Support Team Availability': 'during our support hours',
  'Customer Support Email': 'our support email address',
  'Customer Support Email Address': 'our support email address',
  'Support Email': 'our support email address',
  'Order Number Anonymized': 'your order number',
  'Purchase ID Anonymized': 'your order number',
  'Order ID Anonymized': 'your order number',
  'Bill Number Anonymized': 'your invoice number',
  'Invoice Number Anonymized': 'your invoice number',
  'number of days': 'a few days',
  'tracking number': 'your tracking number',
  'order number': 'your order number',
};

export function fill(text: string): string {
  return text
    .replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_match, name: string) => fills[name] ?? `"${name}"`)
    .replace(/\b(our|the|your|a) (our|your) /gi, (_match, _first: string, second: string) => `${second} `)
    .replace(/\[([A-Z][A-Za-z ]+)\]/g, (_match, name: string) => fills[name] ?? name)
    .replace(
      /\b(with )?the (order )?number your /gi,
      (_match, withWord: string | undefined) => `${withWord ?? ''}your `,
    );
}

export type Vector = Map<string, number>;
export function vectorOf(text: string): Vector {
  const vector: Vector = new Map();
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    const term = kbTerm(word);
    if (term) vector.set(term, (vector.get(term) ?? 0) + 1);
  }
  let norm = 0;
  for (const value of vector.values()) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (const [key, value] of vector) vector.set(key, value / norm);
  return vector;
}
export function cosine(a: Vector, b: Vector): number {
  let sum = 0;
  for (const [key, value] of a) sum += value * (b.get(key) ?? 0);
  return sum;
}
