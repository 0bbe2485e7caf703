import type { Conversation } from './api';
import { shortRef } from './format';

/**
 * The customer: name, tier, email, id, and whatever else the journey knows of them. Unless a host site
 * signed their identity, all of it is what the caller said: the agent sees it marked unverified.
 */
export function Profile({ customer }: { customer: Conversation['customer'] }) {
  const extra = Object.entries(customer).filter(([key]) => !['id', 'name', 'email', 'tier', 'verified'].includes(key));
  return (
    <div className="ib-profile">
      <strong>{customer.name ?? shortRef(customer.id)}</strong>
      {customer.tier && <span className="ib-tag">{customer.tier}</span>}
      {customer.verified === true ? (
        <span className="ib-tag" title="a host site signed this customer's identity">
          verified
        </span>
      ) : (
        <span className="ib-tag" title="what the customer said about themselves; no host site vouched for it">
          unverified
        </span>
      )}
      <span className="muted">
        {' '}
        {customer.email ? `${customer.email} · ` : ''}
        <span title={customer.id}>ref {shortRef(customer.id)}</span>
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
