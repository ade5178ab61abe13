/* global window */
// The overview: sector cards, the sortable and filterable table, and a group's partitions.
(function () {
  'use strict';
  const { el, badge, number, duration, toClear, sparkline, SEVERITY } = window.OpsUi;

  const sortKeys = {
    group: (g) => g.group,
    sector: (g) => g.sector || '~',
    severity: (g) => SEVERITY[g.status],
    members: (g) => g.members,
    lag: (g) => g.lag,
    lagSeconds: (g) => g.lagSeconds,
    businessLagSeconds: (g) => g.businessLagSeconds ?? -1,
    toClear: (g) => (g.trend.secondsToClear === null ? Infinity : g.trend.secondsToClear),
    dlq: (g) => g.deadLetters.total - g.deadLetters.replayed,
  };

  function pendingLetters(g) {
    return g.deadLetters.total - g.deadLetters.replayed;
  }

  function renderCards(container, data, open) {
    const byGroup = new Map(data.groups.map((g) => [g.group, g]));
    container.replaceChildren(
      ...Object.entries(data.sectors).map(([sector, groupId]) => {
        const g = byGroup.get(groupId);
        const status = g ? g.status : 'PENDING';
        return el(
          'article',
          {
            class: `card status-${status}`,
            'data-testid': 'sector-card',
            'data-sector': sector,
            'data-group': groupId,
            title: g ? g.reason : 'not polled yet',
            tabindex: 0,
            onclick: () => open(groupId),
            onkeydown: (e) => e.key === 'Enter' && open(groupId),
          },
          el('h3', {}, sector.toUpperCase(), badge(status)),
          el('div', { class: 'group-id' }, groupId),
          el(
            'dl',
            {},
            el('dt', {}, 'Lag'),
            el('dd', { 'data-testid': 'lag' }, g ? number(g.lag) : '–'),
            el('dt', {}, 'Lag time'),
            el('dd', {}, g ? duration(g.lagSeconds) : '–'),
            el('dt', {}, 'Business lag'),
            el('dd', {}, g ? duration(g.businessLagSeconds) : '–'),
            el('dt', {}, 'To clear'),
            el('dd', {}, g ? toClear(g.trend) : '–'),
            el('dt', {}, 'Dead letters'),
            el(
              'dd',
              { 'data-testid': 'dead-letters' },
              g ? `${number(pendingLetters(g))} pending` : '–',
            ),
          ),
          g ? sparkline(g.history, 'lag', 200, 30) : null,
          el('div', { class: 'muted' }, g ? g.reason : 'waiting for the first poll'),
        );
      }),
    );
  }

  function renderTable(table, groups, view, open) {
    const text = view.filterText.trim().toLowerCase();
    const rows = groups
      .filter((g) => {
        if (view.filterStatus === 'problem' && g.status === 'OK') return false;
        if (view.filterStatus && view.filterStatus !== 'problem' && g.status !== view.filterStatus)
          return false;
        return (
          !text ||
          g.group.toLowerCase().includes(text) ||
          g.topics.some((t) => t.toLowerCase().includes(text))
        );
      })
      .sort((a, b) => {
        const key = sortKeys[view.sortKey] || sortKeys.group;
        const [x, y] = [key(a), key(b)];
        const order = x < y ? -1 : x > y ? 1 : 0;
        // Ties keep a stable, readable order whichever way the column is sorted.
        return (view.sortDir === 'desc' ? -order : order) || a.group.localeCompare(b.group);
      });
    for (const th of table.querySelectorAll('th[data-sort]')) {
      th.classList.toggle('sorted-asc', th.dataset.sort === view.sortKey && view.sortDir === 'asc');
      th.classList.toggle(
        'sorted-desc',
        th.dataset.sort === view.sortKey && view.sortDir === 'desc',
      );
    }
    table.tBodies[0].replaceChildren(
      ...rows.map((g) =>
        el(
          'tr',
          {
            'data-group': g.group,
            class: view.selected === g.group ? 'selected' : null,
            onclick: () => open(g.group),
          },
          el('td', {}, el('a', { href: `#/group/${encodeURIComponent(g.group)}` }, g.group)),
          el('td', {}, g.sector || ''),
          el('td', { title: g.reason }, badge(g.status)),
          el('td', {}, `${g.members} (${g.state})`),
          el('td', { class: 'num' }, number(g.lag)),
          el('td', { class: 'num' }, duration(g.lagSeconds)),
          el('td', { class: 'num' }, duration(g.businessLagSeconds)),
          el('td', {}, sparkline(g.history)),
          el('td', { class: 'num' }, toClear(g.trend)),
          el('td', { class: 'num' }, number(pendingLetters(g))),
        ),
      ),
    );
    if (rows.length === 0) {
      table.tBodies[0].append(
        el('tr', {}, el('td', { colspan: 10, class: 'muted' }, 'No group matches.')),
      );
    }
  }

  function renderDetail(section, g) {
    if (!g) {
      section.hidden = true;
      return;
    }
    section.hidden = false;
    section.replaceChildren(
      el('h2', { 'data-testid': 'detail-title' }, `${g.group} `, badge(g.status)),
      el(
        'p',
        {},
        g.reason,
        ` · ${g.members} member(s), state ${g.state} · thresholds ${g.threshold.warnSeconds} s / ${g.threshold.errorSeconds} s`,
        ` · trend ${g.trend.direction} (${g.trend.lagPerSecond.toFixed(1)} offsets/s, consuming ${g.trend.consumeRate.toFixed(1)}/s, producing ${g.trend.produceRate.toFixed(1)}/s)`,
      ),
      el(
        'table',
        { class: 'grid', 'data-testid': 'partitions' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            [
              'Topic',
              'Partition',
              'Committed',
              'Start',
              'End',
              'Lag',
              'Lag (s)',
              'Business (s)',
              'Last applied',
              'Status',
              'Trend',
              'Why',
            ].map((h) => el('th', {}, h)),
          ),
        ),
        el(
          'tbody',
          {},
          g.partitions.map((p) =>
            el(
              'tr',
              { 'data-testid': 'partition-row' },
              el('td', {}, p.topic),
              el('td', { class: 'num' }, p.partition),
              el('td', { class: 'num' }, number(p.committed)),
              el('td', { class: 'num' }, number(p.start)),
              el('td', { class: 'num' }, number(p.end)),
              el('td', { class: 'num' }, number(p.lag)),
              el('td', { class: 'num' }, duration(p.lagSeconds)),
              el('td', { class: 'num' }, duration(p.businessLagSeconds)),
              el('td', {}, p.lastAppliedAt || '–'),
              el('td', {}, badge(p.status)),
              el('td', {}, sparkline(p.history)),
              el('td', { class: 'muted' }, p.reason),
            ),
          ),
          g.partitions.length === 0
            ? el('tr', {}, el('td', { colspan: 12, class: 'muted' }, 'No committed partitions.'))
            : null,
        ),
      ),
      el(
        'p',
        {},
        el('a', { href: `#/dlq/${encodeURIComponent(g.group)}` }, `Dead letters of ${g.group}`),
      ),
    );
  }

  window.OpsGroups = { renderCards, renderTable, renderDetail };
})();
