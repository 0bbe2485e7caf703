import { inboxApi } from './api';
import { Profile } from './Profile';
import { Sparkline } from './Sparkline';
import { Thread } from './Thread';
import { usePolling } from './usePolling';

/** A conversation still with the bot (no ticket yet): read only. */
export function ConversationPane({ conversationId }: { conversationId: string }) {
  const { data: conversation, error } = usePolling(() => inboxApi.conversation(conversationId), [conversationId]);
  if (!conversation)
    return (
      <div className="ib-view">{error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>}</div>
    );
  return (
    <div className="ib-view ib-ticket">
      <div className="ib-view-head">
        <h2>
          {conversation.customer.name ?? conversation.customer.id}{' '}
          <span className={`ib-status ib-status-${conversation.status === 'active' ? 'bot' : 'closed'}`}>
            {conversation.status === 'active' ? 'with the bot' : 'closed'}
          </span>
        </h2>
      </div>
      <Profile customer={conversation.customer} />
      <p className="muted">
        {conversation.journey.id}@{conversation.journey.version} · {conversation.channel}
        {conversation.intent &&
          ` · intent ${conversation.intent.name} (${Math.round(conversation.intent.confidence * 100)} %)`}{' '}
        · sentiment {conversation.sentiment.label}
        {conversation.outcome && ` · ${conversation.outcome}`}
      </p>
      <Sparkline values={conversation.sentiment.history ?? []} />
      <Thread entries={conversation.transcript} />
      <p className="muted">
        The bot is handling this conversation; it comes to the queue when the journey hands it off.
      </p>
    </div>
  );
}
