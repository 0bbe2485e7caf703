// Baton app shell: a read-only view of the API (journeys, versions, nodes, activity catalog,
// inbox, health). Plain browser JavaScript, no build step, no external assets. Every piece of
// data is put on the page as text (textContent / text nodes), never as HTML.
// The React Flow designer (the designer issue) replaces this file.
'use strict';

(function () {
  /** Node kinds in the order a journey usually runs through them, with their titles (schemas/src/nodes). */
  const kinds = [
    ['start', 'Start'],
    ['message', 'Message'],
    ['ask', 'Ask'],
    ['classify', 'Classify'],
    ['condition', 'Condition'],
    ['set', 'Set variables'],
    ['activity', 'Activity'],
    ['wait', 'Wait'],
    ['handoff', 'Hand off'],
    ['followup', 'Follow up'],
    ['end', 'End'],
  ];
  const kindTitle = new Map(kinds);

  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

  // ------------------------------------------------------------------ DOM helpers

  /**
   * Creates an element. `props`: `class`, `text`, any attribute (strings), or `on<event>` handlers.
   * Children are nodes or strings (strings become text nodes). Falsy children are skipped.
   */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = String(value);
      else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function append(parent, children) {
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false || child === '') continue;
      parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return parent;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function muted(text) {
    return el('p', { class: 'muted', text });
  }

  function errorBox(what, error) {
    return el('p', { class: 'error', role: 'alert' }, el('strong', { text: `Could not load ${what}: ` }), error instanceof Error ? error.message : String(error));
  }

  function time(value) {
    if (value === undefined || value === null || value === '') return el('span', { class: 'muted', text: '—' });
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return el('span', { text: String(value) });
    return el('time', { datetime: date.toISOString(), text: dateTime.format(date) });
  }

  function truncate(text, length) {
    const single = String(text).replace(/\s+/g, ' ').trim();
    return single.length > length ? `${single.slice(0, length - 1)}…` : single;
  }

  function table(caption, headers, rows, options) {
    return el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { class: options && options.class },
        el('caption', { class: options && options.hideCaption ? 'visually-hidden' : undefined, text: caption }),
        el('thead', {}, el('tr', {}, headers.map((header) => el('th', { scope: 'col', text: header })))),
        el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((cell, index) => (index === 0 ? el('th', { scope: 'row' }, cell) : el('td', {}, cell)))))),
      ),
    );
  }

  function plural(count, one, many) {
    return `${count} ${count === 1 ? one : many}`;
  }

  function badge(text, modifier) {
    return el('span', { class: `badge badge--${modifier}`, text });
  }

  // ------------------------------------------------------------------ API

  /** GET a JSON route. Errors (application/problem+json) become Error with the problem's title and detail. */
  async function getJson(path, options) {
    let response;
    try {
      response = await fetch(path, { headers: { accept: 'application/json' } });
    } catch (error) {
      throw new Error(`the API is unreachable (${error instanceof Error ? error.message : String(error)})`);
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok && !(options && options.acceptStatus && options.acceptStatus.includes(response.status))) {
      const problem = body && typeof body === 'object' ? [body.title, body.detail].filter(Boolean).join(': ') : '';
      throw new Error(`${response.status} ${problem || response.statusText || 'request failed'} (GET ${path})`);
    }
    return body;
  }

  const api = {
    health: () => getJson('/api/health', { acceptStatus: [503] }),
    journeys: () => getJson('/api/journeys').then((body) => body.journeys || []),
    versions: (id) => getJson(`/api/journeys/${encodeURIComponent(id)}/versions`).then((body) => body.versions || []),
    version: (id, version) => getJson(`/api/journeys/${encodeURIComponent(id)}/versions/${encodeURIComponent(version)}`),
    activities: () => getJson('/api/activities').then((body) => body.activities || []),
    inbox: () => getJson('/api/inbox').then((body) => body.tickets || []),
  };

  // ------------------------------------------------------------------ health

  async function loadHealth() {
    const badgeNode = byId('health-badge');
    const detail = byId('health-detail');
    try {
      const health = await api.health();
      const checks = Object.entries((health && health.checks) || {});
      const ok = health && health.status === 'ok';
      badgeNode.className = `badge badge--${ok ? 'ok' : 'warn'}`;
      badgeNode.textContent = ok ? 'Healthy' : 'Degraded';
      const names = { temporal: 'Temporal', mongodb: 'MongoDB' };
      detail.textContent = checks.map(([name, check]) => `${names[name] || name} ${check && check.ok ? 'up' : 'down'}`).join(' · ');
      detail.title = checks
        .filter(([, check]) => check && !check.ok && check.detail)
        .map(([name, check]) => `${names[name] || name}: ${check.detail}`)
        .join('\n');
    } catch (error) {
      badgeNode.className = 'badge badge--error';
      badgeNode.textContent = 'API unreachable';
      detail.textContent = '';
      detail.title = error instanceof Error ? error.message : String(error);
    }
  }

  // ------------------------------------------------------------------ journeys

  /** A one-line description of what a node does, from its data. */
  function nodeSummary(node) {
    const data = node.data || {};
    switch (node.type) {
      case 'message':
        return data.text;
      case 'ask':
        return data.prompt && `${data.prompt} → ${data.variable}`;
      case 'classify':
        return Array.isArray(data.intents) && `intents: ${data.intents.map((intent) => intent && intent.name).join(', ')}`;
      case 'condition':
        return Array.isArray(data.rules) && `rules: ${data.rules.map((rule) => (rule && (rule.label || rule.id)) || '?').join(', ')}`;
      case 'set':
        return Array.isArray(data.assign) && `sets ${data.assign.map((assignment) => assignment && assignment.variable).join(', ')}`;
      case 'activity':
        return data.activity && `${data.activity}${data.output ? ` → ${data.output}` : ''}`;
      case 'wait':
        return typeof data.seconds === 'number' && `${data.seconds} s`;
      case 'handoff':
        return data.reason;
      case 'followup':
        return data.message;
      case 'end':
        return data.outcome && `outcome: ${data.outcome}`;
      default:
        return undefined;
    }
  }

  function nodeItem(node) {
    const data = node.data || {};
    const summary = nodeSummary(node);
    const next = Object.entries(node.next || {});
    return el(
      'li',
      { class: 'node' },
      el('code', { class: 'node__id', text: node.id }),
      data.label ? el('span', { class: 'node__label', text: data.label }) : null,
      summary ? el('span', { class: 'node__summary', text: truncate(summary, 110) }) : null,
      next.length
        ? el(
            'span',
            { class: 'node__next' },
            el('span', { class: 'visually-hidden', text: 'Leads to: ' }),
            next.map(([handle, target], index) => [index ? ', ' : '', `${handle} → `, el('code', { text: target })]),
          )
        : null,
    );
  }

  function nodesByKind(compiled) {
    const nodes = Object.values((compiled && compiled.nodes) || {});
    if (nodes.length === 0) return muted('This version has no nodes.');
    const groups = new Map();
    for (const node of nodes) {
      if (!groups.has(node.type)) groups.set(node.type, []);
      groups.get(node.type).push(node);
    }
    const order = [...kinds.map(([kind]) => kind), ...[...groups.keys()].filter((kind) => !kindTitle.has(kind)).sort()];
    return el(
      'div',
      { class: 'kinds' },
      order
        .filter((kind) => groups.has(kind))
        .map((kind) => {
          const members = groups.get(kind);
          const headingId = `kind-${compiled.id}-${kind}`.replace(/[^A-Za-z0-9_-]/g, '_');
          return el(
            'section',
            { class: `kind kind--${kind}`, 'aria-labelledby': headingId },
            el('h5', { id: headingId, class: 'kind__title' }, kindTitle.get(kind) || kind, ' ', el('span', { class: 'count' }, String(members.length), el('span', { class: 'visually-hidden', text: members.length === 1 ? ' node' : ' nodes' }))),
            el('ul', { class: 'kind__nodes' }, members.map(nodeItem)),
          );
        }),
    );
  }

  function versionsTable(journey, versions) {
    if (versions.length === 0) return muted('Never published: only a draft exists.');
    const rows = [...versions]
      .sort((a, b) => b.version - a.version)
      .map((version) => [
        [`v${version.version}`, version.version === journey.latestVersion ? [' ', badge('latest', 'ok')] : null],
        time(version.publishedAt),
        version.author || el('span', { class: 'muted', text: '—' }),
        version.message || el('span', { class: 'muted', text: '—' }),
        el('code', { title: version.hash, text: String(version.hash || '').slice(0, 12) }),
      ]);
    return table(`Published versions of ${journey.name}`, ['Version', 'Published', 'Author', 'Message', 'Hash'], rows, { class: 'versions', hideCaption: true });
  }

  async function journeyCard(journey) {
    const titleId = `journey-${journey.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
    const card = el(
      'article',
      { class: 'journey', 'aria-labelledby': titleId },
      el(
        'header',
        { class: 'journey__header' },
        el('h3', { id: titleId, class: 'journey__title', text: journey.name }),
        el('code', { class: 'journey__id', text: journey.id }),
        journey.latestVersion ? badge(`published v${journey.latestVersion}`, 'ok') : badge('draft only', 'neutral'),
      ),
      journey.description ? el('p', { class: 'journey__description', text: journey.description }) : null,
      el('p', { class: 'journey__dates muted' }, 'Created ', time(journey.createdAt), ' · updated ', time(journey.updatedAt)),
    );
    const [versions, published] = await Promise.allSettled([
      api.versions(journey.id),
      journey.latestVersion ? api.version(journey.id, journey.latestVersion) : Promise.resolve(null),
    ]);
    append(card, [
      el(
        'div',
        { class: 'journey__columns' },
        el(
          'div',
          { class: 'journey__versions' },
          el('h4', { text: 'Versions' }),
          versions.status === 'fulfilled' ? versionsTable(journey, versions.value) : errorBox('the versions', versions.reason),
        ),
        el(
          'div',
          { class: 'journey__nodes' },
          el('h4', { text: journey.latestVersion ? `Nodes of v${journey.latestVersion}, by kind` : 'Nodes' }),
          published.status === 'rejected'
            ? errorBox(`version ${journey.latestVersion}`, published.reason)
            : published.value
              ? nodesByKind(published.value.compiled)
              : muted('Publish the journey to see its compiled nodes here.'),
        ),
      ),
    ]);
    return card;
  }

  async function loadJourneys() {
    const body = byId('journeys-body');
    try {
      const journeys = await api.journeys();
      if (journeys.length === 0) {
        body.replaceChildren(el('p', { class: 'muted' }, 'No journeys yet. Publish one with ', el('code', { text: 'npx baton publish examples/password-reset/journey.json' }), '.'));
        return;
      }
      const sorted = [...journeys].sort((a, b) => String(a.name).localeCompare(String(b.name)));
      body.replaceChildren(...(await Promise.all(sorted.map(journeyCard))));
    } catch (error) {
      body.replaceChildren(errorBox('the journeys', error));
    }
  }

  // ------------------------------------------------------------------ activities

  function inputsOf(schema) {
    const properties = Object.keys((schema && schema.properties) || {});
    if (properties.length === 0) return el('span', { class: 'muted', text: 'none' });
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    return el(
      'ul',
      { class: 'inline-list' },
      properties.map((name) => el('li', {}, el('code', { text: name }), required.has(name) ? el('span', { class: 'required', title: 'required', text: '*' }, el('span', { class: 'visually-hidden', text: ' (required)' })) : null)),
    );
  }

  async function loadActivities() {
    const body = byId('activities-body');
    try {
      const activities = await api.activities();
      if (activities.length === 0) {
        body.replaceChildren(muted('No activities registered: is the worker running?'));
        return;
      }
      const sorted = [...activities].sort((a, b) => Number(b.builtin) - Number(a.builtin) || String(a.name).localeCompare(String(b.name)));
      const rows = sorted.map((activity) => [
        el('code', { text: activity.name }),
        activity.description || el('span', { class: 'muted', text: '—' }),
        activity.builtin ? badge('built-in', 'neutral') : badge('custom', 'info'),
        inputsOf(activity.input),
        typeof activity.timeoutSeconds === 'number' ? `${activity.timeoutSeconds} s` : el('span', { class: 'muted', text: '—' }),
      ]);
      body.replaceChildren(
        table(plural(activities.length, 'activity', 'activities'), ['Name', 'Description', 'Source', 'Inputs (* required)', 'Timeout'], rows, { class: 'activities' }),
      );
    } catch (error) {
      body.replaceChildren(errorBox('the activity catalog', error));
    }
  }

  // ------------------------------------------------------------------ inbox

  const statusModifier = { pending: 'warn', open: 'info', resolved: 'ok' };
  const priorityModifier = { urgent: 'error', high: 'warn', normal: 'neutral', low: 'neutral' };

  function customerCell(customer) {
    if (!customer) return el('span', { class: 'muted', text: '—' });
    return [
      el('span', { class: 'customer__name', text: customer.name || customer.id }),
      customer.tier ? [' ', badge(customer.tier, 'neutral')] : null,
      customer.email ? el('span', { class: 'customer__email muted', text: customer.email }) : null,
    ];
  }

  async function loadInbox() {
    const body = byId('inbox-body');
    try {
      const tickets = await api.inbox();
      if (tickets.length === 0) {
        body.replaceChildren(muted('The inbox is empty. Tickets appear here when a journey hands a conversation to a person.'));
        return;
      }
      const rows = tickets.map((ticket) => [
        [el('code', { text: ticket.ticketId }), ticket.journey ? el('span', { class: 'muted block small', text: `${ticket.journey.id}@${ticket.journey.version}` }) : null],
        customerCell(ticket.customer),
        [
          el('span', { text: ticket.reason || '—' }),
          ticket.summary
            ? el('details', { class: 'summary' }, el('summary', { text: 'Summary' }), el('p', { text: ticket.summary }))
            : null,
        ],
        ticket.intent ? `${ticket.intent.name} (${Math.round(ticket.intent.confidence * 100)}%)` : el('span', { class: 'muted', text: '—' }),
        ticket.sentiment ? `${ticket.sentiment.label}${ticket.sentiment.trend && ticket.sentiment.trend !== 'unknown' ? `, ${ticket.sentiment.trend}` : ''}` : '—',
        badge(ticket.priority || 'normal', priorityModifier[ticket.priority] || 'neutral'),
        [badge(ticket.status, statusModifier[ticket.status] || 'neutral'), ticket.assignee ? el('span', { class: 'muted block small', text: ticket.assignee.name }) : null],
        time(ticket.openedAt),
      ]);
      body.replaceChildren(table(plural(tickets.length, 'ticket', 'tickets'), ['Ticket', 'Customer', 'Reason', 'Intent', 'Sentiment', 'Priority', 'Status', 'Opened'], rows, { class: 'tickets' }));
    } catch (error) {
      body.replaceChildren(errorBox('the inbox', error));
    }
  }

  // ------------------------------------------------------------------ page

  async function busy(sectionId, load) {
    const section = byId(sectionId);
    section.setAttribute('aria-busy', 'true');
    try {
      await load();
    } finally {
      section.setAttribute('aria-busy', 'false');
    }
  }

  let loading = false;
  async function loadAll() {
    if (loading) return;
    loading = true;
    const button = byId('refresh');
    button.disabled = true;
    button.textContent = 'Refreshing…';
    try {
      await Promise.all([loadHealth(), busy('journeys', loadJourneys), busy('activities', loadActivities), busy('inbox', loadInbox)]);
      const loadedAt = byId('loaded-at');
      const now = new Date();
      loadedAt.setAttribute('datetime', now.toISOString());
      loadedAt.textContent = dateTime.format(now);
    } finally {
      loading = false;
      button.disabled = false;
      button.textContent = 'Refresh';
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    byId('refresh').addEventListener('click', () => void loadAll());
    void loadAll();
    // The badge keeps itself current; the rest reloads on demand.
    setInterval(() => void loadHealth(), 15000);
  });
})();
