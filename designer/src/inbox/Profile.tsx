import type { Conversation } from './api';

/** The customer: name, tier, email, id, and whatever else the journey knows of them. */
export function Profile({ customer }: { customer: Conversation['customer'] }) {
  const extra = Object.entries(customer).filter(([key]) => !['id', 'name', 'email', 'tier'].includes(key));
  return (
    <div className="ib-profile">
      <strong>{customer.name ?? customer.id}</strong>
      {customer.tier && <span className="ib-tag">{customer.tier}</span>}
      <span className="muted">
        {' '}
        {customer.email ?? ''} · id {customer.id}
      </span>
      {extra.map(([key, value]) => (
        <span key={key} className="muted">
          {' '}
          · {key}: {typeof value === 'string' ? value : JSON.stringify(value)}
        </span>
      ))}
    </div>
  );
}
