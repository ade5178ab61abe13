/* global window */
// "Where is this event?": the hops of an event, or of a citizen's latest events.
(function () {
  'use strict';
  const { el, api } = window.OpsUi;
  const STATE = {
    applied: 'OK',
    waiting: 'WARN',
    'dead-lettered': 'ERR',
    withheld: 'STOP',
  };

  function eventBlock(e) {
    const published = e.relay
      ? `outbox relay dead-lettered it: ${e.relay.reason} (${e.relay.message})`
      : e.published
        ? `published ${e.published.at} · ${e.published.topic} partition ${e.published.partition ?? '?'} offset ${e.published.offset ?? '?'}`
        : 'waiting in the outbox (not published yet)';
    return el(
      'article',
      { class: 'trail', 'data-testid': 'trail', 'data-event': e.eventId },
      el('h3', {}, `${e.eventType} v${e.version} · citizen ${e.personalId}`),
      el('p', { class: 'muted' }, `event ${e.eventId}`),
      el(
        'ol',
        {},
        el('li', {}, `committed ${e.committed.at} (occurred ${e.committed.occurredAt})`),
        el('li', {}, published),
        e.router
          ? el('li', {}, `share router dead-lettered it: ${e.router.reason} (${e.router.message})`)
          : null,
      ),
      el(
        'table',
        { class: 'grid' },
        el(
          'thead',
          {},
          el('tr', {}, el('th', {}, 'Sector'), el('th', {}, 'State'), el('th', {}, 'Detail')),
        ),
        el(
          'tbody',
          {},
          e.sectors.map((h) =>
            el(
              'tr',
              { 'data-testid': 'hop', 'data-sector': h.sector, 'data-state': h.state },
              el('td', {}, h.sector),
              el('td', {}, el('span', { class: `badge ${STATE[h.state] || ''}` }, h.state)),
              el('td', {}, h.detail),
            ),
          ),
        ),
      ),
      e.trace
        ? el(
            'p',
            {},
            el(
              'a',
              { href: e.trace.url, 'data-testid': 'trace-link', target: '_blank', rel: 'noopener' },
              'Open the trace',
            ),
          )
        : el('p', { class: 'muted' }, 'not traced'),
    );
  }

  async function find(elements, id) {
    if (!id) return;
    elements.summary.textContent = 'Looking…';
    try {
      const answer = await api(`/api/where/${encodeURIComponent(id)}`);
      elements.summary.textContent =
        answer.query === 'citizen'
          ? `${answer.events.length} latest event(s) of this citizen`
          : 'the event';
      elements.results.replaceChildren(...answer.events.map(eventBlock));
    } catch (error) {
      elements.summary.textContent = `Not found: ${error.message}`;
      elements.results.replaceChildren();
    }
  }

  window.OpsWhere = { find };
})();
