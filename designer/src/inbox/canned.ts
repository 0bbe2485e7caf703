// Canned responses in the reply box: the admin's texts, with {{customer.name}} and the like filled in.
import type { AgentRef, Ticket } from './api';

export interface CannedResponse {
  id: string;
  title: string;
  text: string;
}

/**
 * The text with `{{ path }}` filled from the ticket's customer and the agent (customer.name,
 * customer.firstName, customer.email, agent.name). A path with no value stays as written, so the
 * agent sees what is missing before sending.
 */
export function fillCanned(text: string, ticket: Pick<Ticket, 'customer'>, agent: AgentRef | null): string {
  const name = ticket.customer.name;
  const values: Record<string, string | undefined> = {
    'customer.name': name,
    'customer.firstName': name?.split(/\s+/)[0],
    'customer.email': ticket.customer.email,
    'agent.name': agent?.name,
  };
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, path: string) => values[path] ?? whole);
}

/** The responses whose title or text has every word of the query. */
export function matchCanned(responses: readonly CannedResponse[], query: string): CannedResponse[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return responses.filter((response) => {
    const hay = `${response.id} ${response.title} ${response.text}`.toLowerCase();
    return words.every((word) => hay.includes(word));
  });
}
